import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import type { CallProgress } from './call-card';
import { voterNameOf } from './call-card';
import { formatSpan, isCallLive, isCallOver, mergeCall } from './call-status';
import { CallWorkspace } from './call-workspace';
import {
  type CallableCampaign,
  type Call,
  type CallCard,
  type CallingSession as Session,
  getCall,
  getSession,
  getVoiceAccess,
  hangUp,
  type NextVoter,
  nextVoter,
  placeCall,
  type SavedAttempt,
  type SessionStats,
  setSessionStatus,
  skipVoter,
  type VoiceAccess,
} from './calling.client';
import { formatCallingHours } from './format';
import { FormError } from './form-fields';
import { describeRefusal } from './segments.client';
import { type CallStateMessage, useCallStateFeed } from './use-call-state-feed';
import { useNow } from './use-now';

/** How often the call is read over HTTP while the live feed is down and a call is on. */
const FALLBACK_POLL_MS = 3_000;
const NO_CALL: CallProgress = { call: null, connectedAt: null, endedAt: null };

/** The call after news of it, noting when the browser first saw it connect and end (the timer counts from there). */
function progressWith(current: CallProgress, call: Call): CallProgress {
  const now = Date.now();
  return {
    call,
    connectedAt: current.connectedAt ?? (call.status === 'in-progress' ? now : null),
    endedAt: current.endedAt ?? (isCallOver(call.status) ? now : null),
  };
}

export interface SessionSummary {
  readonly campaignName: string;
  readonly stats: SessionStats | null;
}

/**
 * A volunteer's calling session: the session bar (status, totals, pause and end), then one voter
 * at a time, or, when there is nobody to call, why not. The session owns the live feed of call
 * state, which outlives each voter's card; a reconnect reads the current call back over HTTP.
 */
export function CallingSession({
  campaign,
  initialSession,
  onEnded,
}: {
  campaign: CallableCampaign;
  initialSession: Session;
  onEnded: (summary: SessionSummary) => void;
}) {
  const [session, setSession] = useState(initialSession);
  const [stats, setStats] = useState<{ stats: SessionStats; at: number } | null>(null);
  const [next, setNext] = useState<NextVoter | null>(null);
  const [loading, setLoading] = useState(false);
  const [progress, setProgress] = useState<CallProgress>(NO_CALL);
  const [pending, setPending] = useState<'calling' | 'hangingUp' | 'skipping' | null>(null);
  const [changingSession, setChangingSession] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [voice, setVoice] = useState<VoiceAccess | null>(null);
  // Call news can beat the answer to "call" (whose id it carries): kept until that answer arrives.
  const early = useRef(new Map<string, CallStateMessage>());
  const card = next?.kind === 'card' ? next.card : null;
  const live = isCallLive(progress.call);

  const refreshStats = useCallback(
    (signal?: AbortSignal) =>
      getSession(session.id, signal).then(
        (answer) => {
          if (answer.stats !== undefined) setStats({ stats: answer.stats, at: Date.now() });
        },
        // The totals are a courtesy: calling goes on without them.
        () => undefined,
      ),
    [session.id],
  );

  const loadNext = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const answer = await nextVoter(session.id);
      early.current.clear();
      setNext(answer);
      setProgress(answer.kind === 'card' && answer.card.call !== null ? progressWith(NO_CALL, answer.card.call) : NO_CALL);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  }, [session.id]);

  useEffect(() => {
    const controller = new AbortController();
    void refreshStats(controller.signal);
    getVoiceAccess(session.id, controller.signal).then(setVoice, (failure: unknown) => {
      if (!isAbortError(failure)) setVoice(null);
    });
    // Once per session: later voters are asked for by the volunteer's own actions (save, skip, resume).
    if (initialSession.status === 'active') void loadNext();
    return () => controller.abort();
  }, [session.id]);

  const applyCall = useCallback((call: Call) => {
    setProgress((current) => (current.call === null || current.call.id !== call.id ? current : progressWith(current, mergeCall(current.call, call))));
  }, []);

  const rereadCall = useCallback(() => {
    const call = progress.call;
    if (call === null || !isCallLive(call)) return;
    getCall(session.id, call.id).then(applyCall, () => undefined);
  }, [progress.call, session.id, applyCall]);

  const feed = useCallStateFeed(
    session.id,
    (message) => {
      const call = progress.call;
      if (call !== null && call.id === message.callId) applyCall({ ...call, ...message });
      else early.current.set(message.callId, message);
    },
    rereadCall,
  );

  // Without the feed, a live call is read every few seconds so the screen still follows it.
  useEffect(() => {
    if (feed === 'open' || !live) return;
    const timer = setInterval(rereadCall, FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [feed, live, rereadCall]);

  async function call() {
    if (card === null || pending !== null) return;
    setPending('calling');
    setError(null);
    try {
      const placed = await placeCall(session.id, card.leaseId);
      const heard = early.current.get(placed.id);
      const merged = heard === undefined ? placed : mergeCall(placed, heard);
      setProgress((current) => (current.call === null ? progressWith(current, merged) : current));
      void refreshStats();
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  async function hangUpCall() {
    const current = progress.call;
    if (current === null || pending !== null) return;
    setPending('hangingUp');
    setError(null);
    try {
      applyCall(await hangUp(session.id, current.id));
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  async function skip() {
    if (card === null || pending !== null) return;
    setPending('skipping');
    setError(null);
    try {
      await skipVoter(session.id, card.leaseId);
      setNotice(`Skipped ${voterNameOf(card)}; they go back to the list for someone else.`);
      await loadNext();
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  function saved(attempt: SavedAttempt, savedCard: CallCard) {
    const label = savedCard.dispositions.find((option) => option.value === attempt.disposition)?.label ?? attempt.disposition;
    const answers = attempt.answers.length === 0 ? '' : ` with ${attempt.answers.length === 1 ? 'one answer' : `${attempt.answers.length} answers`}`;
    setNotice(`Saved ${voterNameOf(savedCard)}: ${label}${answers}.`);
    // The saved card goes at once: should the next one fail to load, the way to retry shows instead of a card stuck saving.
    setNext(null);
    setProgress(NO_CALL);
    void refreshStats();
    void loadNext();
  }

  async function changeSession(status: 'active' | 'paused' | 'ended') {
    setChangingSession(true);
    setError(null);
    try {
      const changed = await setSessionStatus(session.id, status);
      setSession(changed);
      if (status === 'ended') {
        const final = await getSession(session.id).catch(() => null);
        onEnded({ campaignName: campaign.name, stats: final?.stats ?? stats?.stats ?? null });
        return;
      }
      void refreshStats();
      if (status === 'paused') {
        setNext(null);
        setProgress(NO_CALL);
        setNotice('Paused. Your voter went back to the list; resume when you are ready.');
      } else {
        setNotice('Welcome back.');
        await loadNext();
      }
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setChangingSession(false);
    }
  }

  // A voter called but not saved stays with the volunteer: pausing or ending would drop what happened.
  const holdsCalledVoter = progress.call !== null;
  const paused = session.status === 'paused';

  return (
    <>
      <section className="panel session-bar" aria-labelledby="session-title">
        <div className="session-title">
          <h2 id="session-title">{campaign.name}</h2>
          <span className={`status-badge ${paused ? 'status-queued' : 'status-succeeded'}`}>{paused ? 'Paused' : 'Calling'}</span>
        </div>
        <SessionTotals stats={stats} ticking={!paused} />
        <div className="session-actions">
          <button
            type="button"
            className="secondary"
            onClick={() => void changeSession(paused ? 'active' : 'paused')}
            disabled={changingSession || holdsCalledVoter || pending !== null}
            aria-describedby={holdsCalledVoter ? 'session-hold-hint' : undefined}
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void changeSession('ended')}
            disabled={changingSession || holdsCalledVoter || pending !== null}
            aria-describedby={holdsCalledVoter ? 'session-hold-hint' : undefined}
          >
            End session
          </button>
        </div>
        {holdsCalledVoter && (
          <p id="session-hold-hint" className="hint session-hint">
            Save this call before pausing or ending.
          </p>
        )}
      </section>

      <p role="status" className="form-notice page-notice">
        {notice}
      </p>
      <FormError error={error} onRetry={card === null && !paused ? () => void loadNext() : undefined} />

      {paused ? (
        <QuietPanel title="Your session is paused" onMount>
          <p>Take your time. When you resume, the next voter is waiting.</p>
        </QuietPanel>
      ) : card !== null ? (
        <CallWorkspace
          key={card.leaseId}
          sessionId={session.id}
          card={card}
          progress={progress}
          pending={pending}
          feed={feed}
          voice={voice}
          onCall={() => void call()}
          onHangUp={() => void hangUpCall()}
          onSkip={() => void skip()}
          onSaved={saved}
        />
      ) : next?.kind === 'none' ? (
        <NobodyToCall
          reason={next.reason}
          message={next.message}
          hours={formatCallingHours(campaign.callingWindow)}
          checking={loading}
          onCheck={() => void loadNext()}
        />
      ) : (
        loading && (
          <p className="muted" role="status">
            Finding your next voter…
          </p>
        )
      )}
    </>
  );
}

/** Calls, conversations and time: the session's totals, the session time ticking on between reads. */
function SessionTotals({ stats, ticking }: { stats: { stats: SessionStats; at: number } | null; ticking: boolean }) {
  const now = useNow(ticking && stats !== null, 15_000);
  if (stats === null) return <p className="muted small session-totals">Totals load in a moment.</p>;
  const sessionSeconds = stats.stats.activeSeconds + (ticking ? Math.max(0, now - stats.at) / 1000 : 0);
  return (
    <dl className="session-totals">
      <div>
        <dt>Calls</dt>
        <dd>{stats.stats.calls}</dd>
      </div>
      <div>
        <dt>Conversations</dt>
        <dd>{stats.stats.conversations}</dd>
      </div>
      <div>
        <dt>Talk time</dt>
        <dd>{formatSpan(stats.stats.talkSeconds)}</dd>
      </div>
      <div>
        <dt>Session</dt>
        <dd>{formatSpan(sessionSeconds)}</dd>
      </div>
    </dl>
  );
}

/** An empty state in calm words, its heading taking focus so the change is heard. */
function QuietPanel({ title, onMount, children }: { title: string; onMount: boolean; children: ReactNode }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (onMount) heading.current?.focus();
  }, [onMount]);
  return (
    <section className="panel quiet-panel" aria-labelledby={id}>
      <h2 id={id} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

const NOBODY: Record<string, { title: string; words: (hours: string) => string }> = {
  outside_calling_window: {
    title: 'Nobody can be called right now',
    words: (hours) =>
      `It is outside calling hours where your voters live: this campaign calls from ${hours}, in each voter’s own time. Your session stays open; check again once the hours begin.`,
  },
  no_voters_left: {
    title: 'Everyone has been called for now',
    words: () =>
      'Thank you! Nobody on your list is waiting for a call at the moment. Voters who did not pick up or asked to be called back come back when their time comes.',
  },
  campaign_not_active: {
    title: 'This campaign is not taking calls',
    words: () => 'Its leads have paused or finished it. Thank you for your time; your organization will let you know when calling opens again.',
  },
};

function NobodyToCall({
  reason,
  message,
  hours,
  checking,
  onCheck,
}: {
  reason: string;
  message: string;
  hours: string;
  checking: boolean;
  onCheck: () => void;
}) {
  const known = NOBODY[reason];
  return (
    <QuietPanel title={known?.title ?? 'Nobody to call right now'} onMount>
      <p>{known === undefined ? message : known.words(hours)}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onCheck} disabled={checking}>
          {checking ? 'Checking…' : 'Check again'}
        </button>
      </div>
    </QuietPanel>
  );
}
