import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError, describeError, isAbortError } from './api.client';
import { CardPage } from './card-page';
import { formatDateTime } from './format';
import { FormError, SubmitButton } from './form-fields';
import { acceptInvitation, type InvitationPreview, lookUpInvitation, newPasswordProblem } from './links.client';
import { hrefOf } from './navigation';
import { NewPasswordFields } from './new-password-fields';
import { ROLE_LABELS } from './roles';
import { useSession } from './session-context';
import type { Session } from './session.client';

type Lookup =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly message: string; readonly closed: boolean }
  | { readonly status: 'open'; readonly preview: InvitationPreview };

/**
 * Opened from an invitation link: says what the invitation is for, then creates the account
 * (a name and a password) or, for an email that has one, asks for its password, and signs in.
 */
export function InvitationPage({ token, onAccepted }: { token: string; onAccepted: (session: Session) => void }) {
  const [lookup, setLookup] = useState<Lookup>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    lookUpInvitation(token, controller.signal).then(
      (preview) => setLookup({ status: 'open', preview }),
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        // 404 and 400: the link is unknown, used, expired or cut short; trying again will not help.
        const closed = failure instanceof ApiError && (failure.status === 404 || failure.status === 400);
        setLookup({ status: 'failed', message: describeError(failure), closed });
      },
    );
    return () => controller.abort();
  }, [token, attempt]);

  return (
    <CardPage titleId="invitation-title" title="Accept your invitation" wide>
      {lookup.status === 'loading' && (
        <p className="muted" role="status">
          Checking the invitation…
        </p>
      )}
      {lookup.status === 'failed' && (
        <>
          <FormError error={lookup.message} />
          {lookup.closed ? (
            <p className="muted">
              An invitation link works once and for a limited time. Ask the person who invited you to send a new one. If you have accepted it already,{' '}
              <a href={hrefOf('signIn')}>sign in</a>.
            </p>
          ) : (
            <div className="actions">
              <button type="button" onClick={() => setAttempt((count) => count + 1)}>
                Try again
              </button>
            </div>
          )}
        </>
      )}
      {lookup.status === 'open' && <AcceptForm token={token} preview={lookup.preview} onAccepted={onAccepted} />}
    </CardPage>
  );
}

function AcceptForm({ token, preview, onAccepted }: { token: string; preview: InvitationPreview; onAccepted: (session: Session) => void }) {
  const ids = useId();
  const { state } = useSession();
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errorId = `${ids}-error`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = preview.existingAccount
      ? password === ''
        ? 'Enter the password of your account.'
        : null
      : displayName.trim() === ''
        ? 'Enter your name as others in your organization should see it.'
        : newPasswordProblem(password, confirmation);
    if (problem !== null) {
      setError(problem);
      return;
    }
    setError(null);
    setPending(true);
    try {
      const session = await acceptInvitation(preview.existingAccount ? { token, password } : { token, displayName: displayName.trim(), password });
      onAccepted(session);
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  }

  const where = preview.organization === null ? preview.allianceName : `${preview.organization.name}, ${preview.allianceName}`;
  return (
    <>
      <p className="lede invitation-summary">
        You are invited to join <strong>{where}</strong> as <strong>{ROLE_LABELS[preview.role] ?? preview.role}</strong>
        {preview.organization !== null && ` (${preview.organization.kind === 'anchor' ? 'an anchor organization' : 'a member organization'})`}.
      </p>
      <p className="muted small">This invitation works once and expires {formatDateTime(preview.expiresAt)}.</p>
      {state.status === 'signedIn' && (
        <p className="notice-box">You are signed in as {state.session.user.displayName}. Accepting signs you in with the invited account instead.</p>
      )}
      <form onSubmit={submit} noValidate>
        {preview.existingAccount ? (
          <>
            <p className="muted">The invited email has a Crossroads account already. Enter its password to add this membership to it.</p>
            <label htmlFor={`${ids}-password`}>Password</label>
            <input
              id={`${ids}-password`}
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={error !== null || undefined}
              aria-describedby={error !== null ? errorId : undefined}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <p className="small">
              <a href={hrefOf('passwordReset')}>Forgot the password?</a>
            </p>
          </>
        ) : (
          <>
            <label htmlFor={`${ids}-name`}>Your name</label>
            <input
              id={`${ids}-name`}
              type="text"
              autoComplete="name"
              required
              maxLength={200}
              aria-describedby={`${ids}-name-hint`}
              value={displayName}
              onChange={(event) => setDisplayName(event.target.value)}
            />
            <p id={`${ids}-name-hint`} className="hint">
              As others in your organization will see it.
            </p>
            <NewPasswordFields
              password={password}
              confirmation={confirmation}
              onPassword={setPassword}
              onConfirmation={setConfirmation}
              invalid={error !== null}
              errorId={errorId}
            />
          </>
        )}
        <SubmitButton pending={pending} label="Accept and sign in" pendingLabel="Accepting…" />
      </form>
      <FormError id={errorId} error={error} className="error" />
    </>
  );
}
