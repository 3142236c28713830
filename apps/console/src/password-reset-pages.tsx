import { type FormEvent, useId, useState } from 'react';
import { describeError } from './api.client';
import { CardPage } from './card-page';
import { FormError, SubmitButton } from './form-fields';
import { completePasswordReset, newPasswordProblem, requestPasswordReset } from './links.client';
import { hrefOf } from './navigation';
import { NewPasswordFields } from './new-password-fields';
import { useSession } from './session-context';

/** Asks for a reset link by email; the answer never tells whether the email has an account. */
export function PasswordResetRequestPage() {
  const ids = useId();
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (email.trim() === '') {
      setError('Enter the email you sign in with.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      await requestPasswordReset(email.trim());
      setSent(true);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <CardPage titleId="reset-title" title="Reset your password">
      {sent ? (
        <>
          <p role="status" className="notice">
            If that email has an account, a link is on its way. It works once, for an hour.
          </p>
          <p className="card-footer">
            <a href={hrefOf('signIn')}>Back to sign in</a>
          </p>
        </>
      ) : (
        <>
          <p className="lede">We will send a link to set a new password.</p>
          <form onSubmit={submit} noValidate>
            <label htmlFor={`${ids}-email`}>Email</label>
            <input
              id={`${ids}-email`}
              type="email"
              autoComplete="username"
              required
              aria-invalid={error !== null || undefined}
              aria-describedby={error !== null ? `${ids}-error` : undefined}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <SubmitButton pending={pending} label="Send the link" pendingLabel="Sending…" />
          </form>
          <FormError id={`${ids}-error`} error={error} className="error" />
          <p className="card-footer">
            <a href={hrefOf('signIn')}>Back to sign in</a>
          </p>
        </>
      )}
    </CardPage>
  );
}

/** Opened from a reset link: sets the new password, which signs the account out everywhere. */
export function PasswordResetPage({ token }: { token: string }) {
  const ids = useId();
  const { retry } = useSession();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = `${ids}-error`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = newPasswordProblem(password, confirmation);
    if (problem !== null) {
      setError(problem);
      return;
    }
    setPending(true);
    setError(null);
    try {
      await completePasswordReset(token, password);
      setDone(true);
      // The reset signed the account out everywhere, this browser included if it was signed in.
      retry();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <CardPage titleId="new-password-title" title="Choose a new password">
      {done ? (
        <>
          <p role="status" className="notice">
            Your new password is set, and every session of your account has been signed out.
          </p>
          <p className="card-footer">
            <a href={hrefOf('signIn')}>Sign in with the new password</a>
          </p>
        </>
      ) : (
        <>
          <form onSubmit={submit} noValidate>
            <NewPasswordFields
              password={password}
              confirmation={confirmation}
              onPassword={setPassword}
              onConfirmation={setConfirmation}
              invalid={error !== null}
              errorId={errorId}
            />
            <SubmitButton pending={pending} label="Set the new password" pendingLabel="Saving…" />
          </form>
          <FormError id={errorId} error={error} className="error" />
          <p className="card-footer">
            A link that has expired or was used already cannot set a password; <a href={hrefOf('passwordReset')}>ask for a new one</a>.
          </p>
        </>
      )}
    </CardPage>
  );
}
