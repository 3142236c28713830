export interface SignInOutcome {
  readonly ok: boolean;
  readonly message: string;
}

/** Posts the credentials and turns every answer, including an unreachable server, into words for the person signing in. */
export async function signIn(email: string, password: string): Promise<SignInOutcome> {
  try {
    const response = await fetch('/api/auth/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ email, password }),
    });
    if (response.ok) {
      const session = (await response.json().catch(() => ({}))) as { user?: { displayName?: string } };
      return { ok: true, message: session.user?.displayName ? `Signed in as ${session.user.displayName}.` : 'Signed in.' };
    }
    if (response.status === 404) return { ok: false, message: 'Sign-in is not enabled on this server yet.' };
    if (response.status === 401) return { ok: false, message: 'That email and password do not match.' };
    if (response.status === 429) return { ok: false, message: 'Too many attempts. Wait a minute and try again.' };
    const body = (await response.json().catch(() => ({}))) as { message?: string; correlationId?: string };
    return { ok: false, message: `${body.message ?? 'Sign-in failed.'}${body.correlationId ? ` (reference ${body.correlationId})` : ''}` };
  } catch {
    return { ok: false, message: 'The server cannot be reached. Check your connection and try again.' };
  }
}
