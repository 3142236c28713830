import { type FormEvent, useState } from 'react';
import { describeError } from './api.client';
import { CardPage } from './card-page';
import { FormError, SubmitButton } from './form-fields';
import { hrefOf } from './navigation';
import { type Session, signIn } from './session.client';

/** The console's front door: opens a session (an httpOnly cookie the API sets) with email and password. */
export function SignInPage({ notice, onSignedIn }: { notice: string | null; onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const session = await signIn(email.trim(), password);
      onSignedIn(session);
    } catch (failure) {
      setError(describeError(failure));
      setPending(false);
    }
  }

  return (
    <CardPage titleId="sign-in-title" title="Sign in">
      <p className="lede">Phone banks, texting and progress for your alliance.</p>
      {notice !== null && error === null && (
        <p role="status" className="notice card-notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <SubmitButton pending={pending} disabled={email.trim() === '' || password === ''} label="Sign in" pendingLabel="Signing in…" />
      </form>
      <FormError error={error} className="error" />
      <p className="card-footer">
        <a href={hrefOf('passwordReset')}>Forgot your password?</a>
      </p>
    </CardPage>
  );
}
