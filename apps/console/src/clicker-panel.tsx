import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './api.client';
import { approveDial, getNextApproval, type NextApproval } from './dial-approvals.client';

/** "Y" for yes: no disposition uses it, so the panel can sit beside a call screen. */
const APPROVE_KEY = 'y';
/** With nobody to approve, look again this often: retries come due and calling windows open. */
const IDLE_POLL_MS = 5_000;

const LINE_TYPE_LABELS: Readonly<Record<string, string>> = { mobile: 'Mobile', voip: 'VoIP', unknown: 'Unknown line type' };

/** Where a key is someone typing: never a shortcut there. */
function isTyping(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
}

/**
 * A clicker in a power or predictive campaign: mobile and unknown-type numbers may be dialed only
 * on a person's action, so the clicker sees the next such voter (first name, city, the last four
 * digits) and approves the dial with one button or one key; the dialer places the call when a
 * volunteer is free. Shows how many dials this session approved.
 */
export function ClickerPanel({ sessionId }: { sessionId: string }) {
  const [next, setNext] = useState<NextApproval | null>(null);
  const [approving, setApproving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lastApproved, setLastApproved] = useState<string | null>(null);
  const approvingRef = useRef(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setNext(await getNextApproval(sessionId, signal));
        setError(null);
      } catch (failure) {
        if (signal?.aborted) return;
        setError(describeError(failure));
      }
    },
    [sessionId],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  // Nobody waiting: look again now and then rather than asking the clicker to.
  useEffect(() => {
    if (next?.kind !== 'none') return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => void load(controller.signal), IDLE_POLL_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [next, load]);

  const approve = useCallback(async () => {
    if (next?.kind !== 'voter' || approvingRef.current) return;
    approvingRef.current = true;
    setApproving(true);
    setError(null);
    try {
      await approveDial(sessionId, next.voter.campaignContactId);
      setLastApproved(next.voter.firstName ?? `the number ending ${next.voter.phoneLast4}`);
      await load();
    } catch (failure) {
      setError(describeError(failure));
      // The voter may have been called meanwhile: the next one is what to show.
      await load();
    } finally {
      approvingRef.current = false;
      setApproving(false);
    }
  }, [next, sessionId, load]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.repeat) return;
      if (event.key.toLowerCase() !== APPROVE_KEY || isTyping(event.target)) return;
      event.preventDefault();
      void approve();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [approve]);

  const approvedCount = next?.approvedCount ?? 0;
  return (
    <section className="panel stack" aria-labelledby={`clicker-${sessionId}-title`}>
      <h2 id={`clicker-${sessionId}-title`}>Approve dials</h2>
      <p className="muted small">
        Mobile and unknown numbers are called only when a person approves each one. Approve the voter below and the dialer calls them when a volunteer is free.
      </p>
      {next === null ? (
        <p className="muted">Loading the next voter…</p>
      ) : next.kind === 'none' ? (
        <p className="muted" role="status">
          {next.message}
        </p>
      ) : (
        <div className="stack" aria-live="polite">
          <dl className="voter-facts">
            <div>
              <dt>Voter</dt>
              <dd>{next.voter.firstName ?? 'Name not on file'}</dd>
            </div>
            <div>
              <dt>City</dt>
              <dd>{next.voter.city ?? 'Not on file'}</dd>
            </div>
            <div>
              <dt>Phone</dt>
              <dd>
                ending {next.voter.phoneLast4} · {LINE_TYPE_LABELS[next.voter.lineType] ?? next.voter.lineType}
              </dd>
            </div>
          </dl>
          <div className="actions">
            <button type="button" onClick={() => void approve()} disabled={approving} aria-keyshortcuts="Y">
              {approving ? 'Approving…' : 'Approve dial'} <kbd aria-hidden="true">Y</kbd>
            </button>
          </div>
        </div>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <p className="small" role="status">
        {approvedCount === 1 ? '1 dial approved' : `${approvedCount.toLocaleString()} dials approved`} this session
        {lastApproved === null ? '' : `; last: ${lastApproved}`}.
      </p>
    </section>
  );
}
