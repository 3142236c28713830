import { useEffect, useRef, useState } from 'react';
import { formatSpan } from './call-status';
import { type CallableCampaign, type CallingSession as Session, startSession } from './calling.client';
import { CallingSession, type SessionSummary } from './calling-session';
import { formatCallingHours } from './format';
import { FormError } from './form-fields';
import { describeRefusal } from './segments.client';
import { useCallableCampaigns } from './use-callable-campaigns';

type Stage =
  | { readonly kind: 'choose'; readonly farewell: SessionSummary | null }
  | { readonly kind: 'calling'; readonly campaign: CallableCampaign; readonly session: Session };

/**
 * Phone banking for a volunteer (or a lead taking a shift): choose a campaign, start (or pick
 * up) a session in it, and call one voter at a time. Nobody here sees a list of voters.
 */
export function CallingPage() {
  const [stage, setStage] = useState<Stage>({ kind: 'choose', farewell: null });

  return (
    <div className="page calling-page">
      <header className="page-header">
        <h1>Calling</h1>
        <p className="lede">
          {stage.kind === 'calling'
            ? `Calling hours: ${formatCallingHours(stage.campaign.callingWindow)}, in each voter’s own time.`
            : 'Choose a phone bank to call in. Crossroads hands you one voter at a time, with the script to read.'}
        </p>
      </header>
      {stage.kind === 'choose' ? (
        <CampaignChoice farewell={stage.farewell} onStarted={(campaign, session) => setStage({ kind: 'calling', campaign, session })} />
      ) : (
        <>
          <CallingSession
            key={stage.session.id}
            campaign={stage.campaign}
            initialSession={stage.session}
            onEnded={(summary) => setStage({ kind: 'choose', farewell: summary })}
          />
          <KeyboardHelp />
        </>
      )}
    </div>
  );
}

function CampaignChoice({ farewell, onStarted }: { farewell: SessionSummary | null; onStarted: (campaign: CallableCampaign, session: Session) => void }) {
  const { campaigns, error, reload } = useCallableCampaigns();
  const [starting, setStarting] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Back from a session: the thank-you is what to read first.
  useEffect(() => {
    if (farewell !== null) heading.current?.focus();
  }, [farewell]);

  async function start(campaign: CallableCampaign) {
    setStarting(campaign.id);
    setStartError(null);
    try {
      onStarted(campaign, await startSession(campaign.id));
    } catch (failure) {
      setStartError(describeRefusal(failure));
      setStarting(null);
    }
  }

  return (
    <>
      {farewell !== null && (
        <p role="status" className="panel farewell">
          Session in {farewell.campaignName} ended
          {farewell.stats === null
            ? '. '
            : `: ${farewell.stats.calls} ${farewell.stats.calls === 1 ? 'call' : 'calls'}, ${farewell.stats.conversations} ${
                farewell.stats.conversations === 1 ? 'conversation' : 'conversations'
              }, ${formatSpan(farewell.stats.activeSeconds)}. `}
          Thank you for calling!
        </p>
      )}
      <section className="panel" aria-labelledby="choose-title">
        <h2 id="choose-title" ref={heading} tabIndex={-1}>
          Phone banks open to you
        </h2>
        <FormError error={error} onRetry={reload} />
        <FormError error={startError} />
        {campaigns === null ? (
          error === null && <p className="muted">Loading phone banks…</p>
        ) : campaigns.length === 0 ? (
          <p className="muted">No phone bank is open for you right now. When your organization opens one, it appears here.</p>
        ) : (
          <ul className="campaign-choices">
            {campaigns.map((campaign) => (
              <li key={campaign.id} className="campaign-choice-card">
                <div>
                  <h3>{campaign.name}</h3>
                  <p className="muted small">Calling hours {formatCallingHours(campaign.callingWindow)}, in each voter’s own time</p>
                </div>
                <button type="button" onClick={() => void start(campaign)} disabled={starting !== null}>
                  {starting === campaign.id ? 'Starting…' : 'Start calling'}
                  <span className="visually-hidden"> in {campaign.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ['Space or C', 'Call the voter (before a call)'],
  ['H', 'Hang up'],
  ['1 – 9', 'Answer the question being asked (1 – 5 on a scale)'],
  ['→ / ←', 'Next step of the script / the step before'],
  ['Letters', 'How the call ended: the letter on each button (after a call, C is Contacted)'],
  ['Enter', 'Save & next'],
];

/** The keyboard map, folded away until asked for; shortcuts pause while typing in a field. */
function KeyboardHelp() {
  return (
    <details className="panel shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">Shortcuts never fire while you type in a text field.</p>
    </details>
  );
}
