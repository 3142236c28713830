import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatDateTime } from './format';
import { FormError, SubmitButton } from './form-fields';
import { hasRole } from './roles';
import { describeRefusal } from './segments.client';
import { useSession } from './session-context';
import { getPhoneOptOuts, listUnmatchedTexts, type OptOutEvent, optOutPhone, type PhoneOptOutState, reverseOptOut, type UnmatchedText } from './texting.client';

const SOURCE_LABELS: Record<OptOutEvent['source'], string> = {
  keyword: 'The voter texted a keyword',
  carrier: 'The carrier refused a text (21610)',
  admin: 'An alliance admin',
  texter: 'A texter',
};

const REASON_LENGTH = { min: 5, max: 500 };

/**
 * For alliance admins: a phone's text opt-out, with its whole history, an opt-out taken by other
 * means (the voter called or wrote) and a reversal, each with a reason that goes into the audit
 * log; and the texts that arrived matching no conversation.
 */
export function OptOutsPage() {
  const { memberships } = useSession();
  const admin = hasRole(memberships, 'alliance_admin');
  return (
    <div className="page opt-outs-page">
      <header className="page-header">
        <h1>Opt-outs and unmatched texts</h1>
        <p className="lede">
          A voter who texts STOP is opted out of every campaign of the alliance at once. Here an alliance admin looks a phone up, records an opt-out a voter
          asked for by other means, or reverses one, always with a reason.
        </p>
      </header>
      {admin ? (
        <>
          <OptOutLookup />
          <UnmatchedTexts />
        </>
      ) : (
        <p className="panel muted">Only the alliance’s admins look up opt-outs and read unmatched texts. Ask one if a voter needs help.</p>
      )}
    </div>
  );
}

function OptOutLookup() {
  const ids = useId();
  const [phone, setPhone] = useState('');
  const [state, setState] = useState<PhoneOptOutState | null>(null);
  const [looking, setLooking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function lookUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setLooking(true);
    setError(null);
    setState(null);
    try {
      setState(await getPhoneOptOuts(phone.trim()));
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setLooking(false);
    }
  }

  return (
    <section className="panel" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Look up a phone</h2>
      <form className="inline-form" onSubmit={lookUp} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-phone`}>Phone number</label>
          <input
            id={`${ids}-phone`}
            type="tel"
            autoComplete="off"
            placeholder="+19195550123"
            aria-describedby={`${ids}-phone-hint`}
            value={phone}
            onChange={(event) => setPhone(event.target.value)}
          />
          <p id={`${ids}-phone-hint`} className="hint">
            In E.164: a plus, the country code, then the number.
          </p>
        </div>
        <div className="card-form-actions">
          <SubmitButton pending={looking} disabled={phone.trim() === ''} label="Look up" pendingLabel="Looking up…" />
        </div>
      </form>
      <FormError error={error} />
      {state !== null && <PhoneOptOut key={state.phone} initial={state} />}
    </section>
  );
}

function PhoneOptOut({ initial }: { initial: PhoneOptOutState }) {
  const ids = useId();
  const [state, setState] = useState(initial);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reversing = state.optedOutOfTexts;
  const reasonLength = reason.trim().length;

  async function change(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reasonLength < REASON_LENGTH.min) {
      setError(`Say why, in ${REASON_LENGTH.min} to ${REASON_LENGTH.max} characters: it is kept in the opt-out history and the audit log.`);
      return;
    }
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const changed = reversing ? await reverseOptOut(state.phone, reason.trim()) : await optOutPhone(state.phone, reason.trim());
      setState(changed);
      setReason('');
      setNotice(reversing ? `${state.phone} may be texted again.` : `${state.phone} is opted out of texts for the whole alliance.`);
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="stack opt-out-state">
      <p className="opt-out-status">
        <strong>{state.phone}</strong>{' '}
        <span className={`status-badge ${state.optedOutOfTexts ? 'status-failed' : 'status-succeeded'}`}>
          {state.optedOutOfTexts ? 'Opted out of texts' : 'May be texted'}
        </span>
      </p>
      {state.history.length === 0 ? (
        <p className="muted">No opt-out was ever recorded for this phone.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Opt-out history" tabIndex={0}>
          <table>
            <caption className="visually-hidden">Opt-out history, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {state.history.map((event) => (
                <tr key={event.id}>
                  <td className="nowrap">{formatDateTime(event.createdAt)}</td>
                  <td>
                    {event.action === 'opt_out' ? 'Opted out' : 'Opted in again'}
                    {event.channel !== 'sms' && <span className="tag">{event.channel}</span>}
                  </td>
                  <td>{SOURCE_LABELS[event.source] ?? event.source}</td>
                  <td className="wrap">{event.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="stack opt-out-change" onSubmit={change} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-reason`}>{reversing ? 'Why reverse the opt-out?' : 'Why opt this phone out?'}</label>
          <textarea
            id={`${ids}-reason`}
            rows={2}
            maxLength={REASON_LENGTH.max}
            required
            aria-required="true"
            aria-describedby={`${ids}-reason-hint`}
            value={reason}
            onChange={(event) => {
              setError(null);
              setReason(event.target.value);
            }}
          />
          <p id={`${ids}-reason-hint`} className="hint">
            Required, {REASON_LENGTH.min} to {REASON_LENGTH.max} characters; kept in the history and the audit log.
            {reversing && ' Reverse only when the voter asked to be texted again; a voter can also do it by texting START.'}
          </p>
        </div>
        <FormError error={error} />
        <p role="status" className="form-notice">
          {notice}
        </p>
        <div className="actions">
          <button type="submit" className={reversing ? 'danger' : undefined} disabled={pending}>
            {pending ? 'Saving…' : reversing ? 'Reverse the opt-out' : 'Opt this phone out'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Texts whose sender and our number matched no conversation, newest first, a page at a time. */
function UnmatchedTexts() {
  const ids = useId();
  const [items, setItems] = useState<readonly UnmatchedText[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listUnmatchedTexts(null, controller.signal).then(
      (page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const more = useCallback(async () => {
    if (cursor === null) return;
    setLoadingMore(true);
    try {
      const page = await listUnmatchedTexts(cursor);
      setItems((shown) => [...(shown ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoadingMore(false);
    }
  }, [cursor]);

  return (
    <section className="panel" aria-labelledby={`${ids}-title`}>
      <div className="section-bar">
        <h2 id={`${ids}-title`}>Unmatched texts</h2>
        <button type="button" className="secondary" onClick={() => setAttempt((count) => count + 1)}>
          Refresh
        </button>
      </div>
      <p className="muted small">Texts from phones no conversation of ours expected (only the last 4 digits of the sender are shown).</p>
      <FormError error={error} />
      {items === null ? (
        error === null && <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">No unmatched texts.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Unmatched texts" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">From</th>
                <th scope="col">To our number</th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td className="nowrap">{formatDateTime(item.receivedAt)}</td>
                  <td className="nowrap">…{item.phoneLastDigits}</td>
                  <td className="nowrap">{item.ourNumber ?? '—'}</td>
                  <td className="wrap">{item.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor !== null && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void more()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Show older'}
          </button>
        </div>
      )}
    </section>
  );
}
