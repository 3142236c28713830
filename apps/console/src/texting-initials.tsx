import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { isAbortError } from './api.client';
import { nameCased } from './call-card';
import { formatDateTime, formatQuantity } from './format';
import { FormError, SubmitButton } from './form-fields';
import { describeTextingRefusal } from './texting-shared';
import { getNextInitial, type NextInitial, refusalReasonOf, requestContacts, sendInitial } from './texting.client';
import { useCallShortcuts } from './use-call-shortcuts';

const DEFAULT_BATCH = 25;
const NOTICES_KEPT = 4;

/** Refusals after which the voter is out of the way (closed, or already texted): the next one comes up by itself. */
const MOVES_ON = new Set(['phone_blocked', 'phone_already_texted', 'wrong_status']);

interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'held' | 'skipped';
}

/**
 * Remembers whether the key being handled is the keyboard repeating a held key: read in the capture
 * phase, before the page's shortcuts see the same event, so a held Enter sends one text, not one
 * per repeat.
 */
function useKeyRepeat(): { readonly current: boolean } {
  const repeating = useRef(false);
  useEffect(() => {
    const remember = (event: globalThis.KeyboardEvent) => {
      repeating.current = event.repeat;
    };
    window.addEventListener('keydown', remember, true);
    return () => window.removeEventListener('keydown', remember, true);
  }, []);
  return repeating;
}

/**
 * The first texts of the texter's batch, one at a time, shown exactly as the voter will read them
 * (greeting by first name only) and sent by one press of Enter or the Send button: a held key
 * sends one text, the button is off while a text is on its way, and the server writes each first
 * text once whatever reaches it twice. With none waiting, the texter asks for a batch.
 */
export function SendInitials({ campaignId, onSent }: { campaignId: string; onSent: () => void }) {
  const ids = useId();
  const [next, setNext] = useState<NextInitial | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [sentInBatch, setSentInBatch] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  const [batchSize, setBatchSize] = useState(String(DEFAULT_BATCH));
  const [requesting, setRequesting] = useState(false);
  const [assigned, setAssigned] = useState<string | null>(null);
  const busy = useRef(false);
  const noticeIds = useRef(0);
  const repeating = useKeyRepeat();
  const heading = useRef<HTMLHeadingElement>(null);

  const loadNext = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setNext(await getNextInitial(campaignId, signal));
        setLoadError(null);
      } catch (failure) {
        if (!isAbortError(failure)) setLoadError(describeTextingRefusal(failure));
      }
    },
    [campaignId],
  );

  useEffect(() => {
    const controller = new AbortController();
    void loadNext(controller.signal);
    return () => controller.abort();
  }, [loadNext]);

  const notify = (text: string, tone: Notice['tone']) => {
    noticeIds.current += 1;
    const notice = { id: noticeIds.current, text, tone };
    setNotices((shown) => [notice, ...shown].slice(0, NOTICES_KEPT));
  };

  async function send() {
    if (busy.current || next?.kind !== 'conversation') return;
    busy.current = true;
    setSending(true);
    setError(null);
    setAssigned(null);
    const who = next.voter.firstName === null ? `the voter at …${next.voter.phoneLastDigits}` : nameCased(next.voter.firstName);
    try {
      const sent = await sendInitial(next.conversationId);
      setSentInBatch((count) => count + 1);
      if (sent.heldUntil !== null) {
        notify(`Your text to ${who} is held until ${formatDateTime(sent.heldUntil)} (your time), when texting hours open where they live.`, 'held');
      } else if (sent.repeated) {
        notify(`Your text to ${who} had already gone; it was not sent twice.`, 'skipped');
      }
    } catch (failure) {
      const reason = refusalReasonOf(failure);
      if (reason !== null && MOVES_ON.has(reason)) notify(`${who}: ${describeTextingRefusal(failure)}`, 'skipped');
      else setError(describeTextingRefusal(failure));
    }
    await loadNext();
    busy.current = false;
    setSending(false);
    onSent();
  }

  async function getContacts(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (requesting) return;
    setRequesting(true);
    setError(null);
    setAssigned(null);
    try {
      const count = Number(batchSize);
      const assignment = await requestContacts(campaignId, count);
      if (assignment.assignedCount === 0) {
        setAssigned('Nobody is left to text in this campaign right now. Answer your replies; new voters may come when the list grows.');
      } else {
        setSentInBatch(0);
        setNotices([]);
        setAssigned(
          `You have ${formatQuantity(assignment.assignedCount, 'new voter')} to text${assignment.assignedCount < assignment.requestedCount ? ` (the list is running out: you asked for ${assignment.requestedCount})` : ''}.`,
        );
      }
      await loadNext();
      heading.current?.focus();
    } catch (failure) {
      setError(describeTextingRefusal(failure));
    } finally {
      setRequesting(false);
    }
  }

  useCallShortcuts(
    {
      digit: () => false,
      letter: () => false,
      enter: () => {
        if (next?.kind !== 'conversation') return false;
        // A held key repeats: the first press sent; the repeats do nothing.
        if (!repeating.current) void send();
        return true;
      },
      space: () => false,
      arrow: () => false,
    },
    next?.kind === 'conversation',
  );

  // On the button itself the browser turns Enter into a click; a held key must not click again and again.
  const ignoreRepeat = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.repeat) event.preventDefault();
  };

  const waiting = next?.kind === 'conversation' ? next.waiting : 0;
  const total = sentInBatch + waiting;

  return (
    <section className="panel initial-panel" aria-labelledby={`${ids}-title`}>
      <div className="section-bar">
        <h2 id={`${ids}-title`} ref={heading} tabIndex={-1}>
          First texts
        </h2>
        {total > 0 && (
          <p className="initial-progress-label" aria-live="polite">
            <strong>{sentInBatch}</strong> of <strong>{total}</strong> sent
          </p>
        )}
      </div>
      {total > 0 && <progress className="initial-progress" value={sentInBatch} max={total} aria-label={`${sentInBatch} of ${total} first texts sent`} />}
      <FormError error={loadError} onRetry={() => void loadNext()} />
      <FormError error={error} />
      <p role="status" className="form-notice">
        {assigned}
      </p>
      {next === null ? (
        loadError === null && <p className="muted">Loading…</p>
      ) : next.kind === 'conversation' ? (
        <div className="initial-card">
          <p className="initial-to">
            To <strong>{next.voter.firstName === null ? 'a voter' : nameCased(next.voter.firstName)}</strong>{' '}
            <span className="muted">(phone ending {next.voter.phoneLastDigits})</span>
          </p>
          <p className="text-bubble text-outbound initial-text">
            <span className="visually-hidden">The text as it will be sent: </span>
            {next.body}
          </p>
          <div className="save-row">
            <button type="button" className="save-button" aria-keyshortcuts="Enter" disabled={sending} onClick={() => void send()} onKeyDown={ignoreRepeat}>
              {sending ? 'Sending…' : 'Send'} <kbd aria-hidden="true">Enter</kbd>
            </button>
            <p className="hint">One press sends one text. {waiting > 1 ? `${waiting - 1} more after this one.` : 'This is the last one in your batch.'}</p>
          </div>
        </div>
      ) : next.reason === 'campaign_not_active' ? (
        <p className="notice-box">{next.message}. Texting opens when its organizer activates it.</p>
      ) : (
        <form className="inline-form get-contacts" onSubmit={getContacts} noValidate>
          <p className="hint get-contacts-hint">
            {sentInBatch > 0
              ? `All ${sentInBatch} first texts of this batch are sent. Answer the replies as they come in; once they are handled you can get more voters.`
              : 'No voter is waiting for a first text. Get a batch of voters to text.'}
          </p>
          <div className="field field-narrow">
            <label htmlFor={`${ids}-batch`}>How many</label>
            <input
              id={`${ids}-batch`}
              type="number"
              min={1}
              max={1000}
              inputMode="numeric"
              value={batchSize}
              onChange={(event) => setBatchSize(event.target.value)}
            />
          </div>
          <div className="card-form-actions">
            <SubmitButton pending={requesting} label="Get contacts" pendingLabel="Getting contacts…" />
          </div>
        </form>
      )}
      {notices.length > 0 && (
        <ul className="initial-notices" aria-label="About the texts you sent">
          {notices.map((notice) => (
            <li key={notice.id} className={notice.tone === 'held' ? 'notice-held' : 'notice-skipped'}>
              {notice.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
