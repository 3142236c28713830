import type { RefObject } from 'react';
import { describeCall, formatClock, isCallLive, isCallOver } from './call-status';
import type { Call, CallCard, VoiceAccess } from './calling.client';
import { SegmentSwatch } from './segment-swatch';
import type { FeedState } from './use-call-state-feed';
import { useNow } from './use-now';

/** The call of the card in front of the volunteer, with the moments the browser saw it connect and end (for the timer). */
export interface CallProgress {
  readonly call: Call | null;
  readonly connectedAt: number | null;
  readonly endedAt: number | null;
}

/**
 * Names and cities come in capitals from voter files; read them as people write them (as the
 * script's merge fields do). Mixed case was typed by someone on purpose and stays as it is.
 */
export function nameCased(value: string): string {
  if (value !== value.toUpperCase() && value !== value.toLowerCase()) return value;
  return value.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

export function voterNameOf(card: CallCard): string {
  const name = [card.voter.firstName, card.voter.lastName].filter((part) => part !== null && part.trim() !== '').join(' ');
  return name === '' ? 'A voter without a name on file' : nameCased(name);
}

/**
 * Who is being called: name (the heading focus goes to when a card arrives), age, city, who else
 * shares the phone, and their values segment, so the volunteer knows which wording the script uses.
 */
export function VoterCard({ card, headingRef, headingId }: { card: CallCard; headingRef: RefObject<HTMLHeadingElement | null>; headingId: string }) {
  const { voter, segment } = card;
  const others = voter.householdSize - 1;
  return (
    <div className="voter-card">
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {voterNameOf(card)}
      </h2>
      <dl className="voter-facts">
        <div>
          <dt>Age</dt>
          <dd>{voter.age ?? 'Not on file'}</dd>
        </div>
        <div>
          <dt>City</dt>
          <dd>{voter.city === null ? 'Not on file' : nameCased(voter.city)}</dd>
        </div>
        <div>
          <dt>Household</dt>
          <dd>{others > 0 ? `${voter.householdSize} voters share this phone` : 'Only voter on this phone'}</dd>
        </div>
        <div>
          <dt>Phone</dt>
          <dd>
            <span aria-hidden="true">•••• </span>
            <span className="visually-hidden">ending in </span>
            {card.phoneLastDigits}
          </dd>
        </div>
      </dl>
      {segment === null ? (
        <p className="segment-badge segment-badge-none">No values segment yet</p>
      ) : (
        <p className="segment-badge" style={{ borderColor: segment.colour }}>
          <SegmentSwatch colour={segment.colour} />
          <span>
            <span className="visually-hidden">Values segment: </span>
            {segment.name}
          </span>
        </p>
      )}
      {card.attempts > 0 && <p className="muted small">Called {card.attempts === 1 ? 'once' : `${card.attempts} times`} before in this campaign.</p>}
    </div>
  );
}

/**
 * The call itself: its state in words (a live region, so a screen reader hears "Ringing…",
 * "Connected", "Call ended" as they happen), the time on the line, and the one button that fits
 * the moment: Call, or Hang up.
 */
export function CallControls({
  progress,
  pending,
  onCall,
  onHangUp,
  onSkip,
  feed,
  voice,
}: {
  progress: CallProgress;
  /** A request about the call is on its way. */
  pending: 'calling' | 'hangingUp' | 'skipping' | null;
  onCall: () => void;
  onHangUp: () => void;
  onSkip: () => void;
  feed: FeedState;
  voice: VoiceAccess | null;
}) {
  const { call } = progress;
  const { label, tone } = describeCall(call);
  const live = isCallLive(call);
  return (
    <div className="call-controls">
      <div className={`call-state tone-${tone}`}>
        <p role="status" className="call-state-label">
          {label}
        </p>
        <CallTimer progress={progress} />
      </div>
      <div className="call-buttons">
        {call === null && (
          <>
            <button type="button" className="call-button" aria-keyshortcuts="Space C" onClick={onCall} disabled={pending !== null}>
              {pending === 'calling' ? 'Calling…' : 'Call'}
            </button>
            <button type="button" className="secondary" onClick={onSkip} disabled={pending !== null}>
              {pending === 'skipping' ? 'Skipping…' : 'Skip this voter'}
            </button>
          </>
        )}
        {live && (
          <button type="button" className="danger call-button" aria-keyshortcuts="H" onClick={onHangUp} disabled={pending !== null}>
            {pending === 'hangingUp' ? 'Hanging up…' : 'Hang up'}
          </button>
        )}
      </div>
      {feed === 'reconnecting' && live && <p className="muted small">Live call updates are reconnecting; checking the call every few seconds meanwhile.</p>}
      {voice?.kind === 'simulated' && <p className="muted small">Practice line: calls go to the carrier simulator, so there is no audio.</p>}
      {voice?.kind === 'twilio-voice-sdk' && (
        <p className="muted small">This console cannot carry the call’s audio yet; use the phone your organization gave you for the conversation.</p>
      )}
    </div>
  );
}

/** Time on the line, from the moment the voter picked up; the carrier's own duration once the call is over. */
function CallTimer({ progress }: { progress: CallProgress }) {
  const { call, connectedAt, endedAt } = progress;
  const ticking = call !== null && connectedAt !== null && !isCallOver(call.status);
  const now = useNow(ticking);
  if (call === null || connectedAt === null) return null;
  const seconds = isCallOver(call.status) && call.durationSeconds !== null ? call.durationSeconds : ((endedAt ?? now) - connectedAt) / 1000;
  return (
    <p className="call-timer">
      <span className="visually-hidden">Time on the call: </span>
      {formatClock(seconds)}
    </p>
  );
}
