import { type FormEvent, useState } from 'react';
import { signIn, type SignInOutcome } from './sign-in.client';

/** The console's front door: opens a session (an httpOnly cookie the API sets) with email and password. */
export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<SignInOutcome | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setOutcome(await signIn(email, password));
    setPending(false);
  }

  return (
    <div className="sign-in">
      <section className="card" aria-labelledby="sign-in-title">
        <p className="brand">Crossroads</p>
        <h1 id="sign-in-title">Sign in</h1>
        <p className="lede">Phone banks, texting and progress for your alliance.</p>
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
          <button type="submit" disabled={pending || email === '' || password === ''}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {outcome !== null && (
          <p role="alert" className={outcome.ok ? 'notice' : 'error'}>
            {outcome.message}
          </p>
        )}
      </section>
    </div>
  );
}
