import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { describeError, onSessionEnded, setCsrfToken, setRequestAlliance } from './api.client';
import { alliancesOf, membershipsIn } from './roles';
import { fetchCurrentSession, type Session, type SessionMembership, signOut as endSession } from './session.client';

export type SessionState =
  | { readonly status: 'loading' }
  /** The API could not be asked (down, unreachable): not the same as being signed out. */
  | { readonly status: 'unavailable'; readonly message: string }
  | { readonly status: 'signedOut'; readonly notice: string | null }
  | { readonly status: 'signedIn'; readonly session: Session };

export interface SessionContextValue {
  readonly state: SessionState;
  /** The alliance the console works in (the first of several, until the person picks another). */
  readonly alliance: string | null;
  /** The session's memberships in that alliance. */
  readonly memberships: readonly SessionMembership[];
  readonly chooseAlliance: (slug: string) => void;
  /** After a sign-in or an accepted invitation: the API's answer, with its anti-CSRF token. */
  readonly signedIn: (session: Session) => void;
  readonly signOut: () => Promise<void>;
  readonly retry: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession needs a SessionProvider above it');
  return value;
}

/** The signed-in session, for pages that only render under one. */
export function useSignedInSession(): Session {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('this page renders only for a signed-in person');
  return state.session;
}

const SESSION_ENDED = 'Your session has ended. Sign in again to carry on where you were.';

/**
 * Asks the API who is signed in when the console loads, keeps the answer (and its anti-CSRF
 * token, in memory only), and drops it when the person signs out or any request says the
 * session is gone.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [chosenAlliance, setChosenAlliance] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  const adopt = useCallback((session: Session | null, notice: string | null = null) => {
    setCsrfToken(session?.csrfToken ?? null);
    setState(session === null ? { status: 'signedOut', notice } : { status: 'signedIn', session });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    fetchCurrentSession(controller.signal).then(
      (session) => adopt(session),
      (failure: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'unavailable', message: describeError(failure) });
      },
    );
    return () => controller.abort();
  }, [adopt, attempt]);

  useEffect(() => {
    onSessionEnded(() => {
      setCsrfToken(null);
      // Only a session that was open can end; a 401 while loading or signed out changes nothing.
      setState((current) => (current.status === 'signedIn' ? { status: 'signedOut', notice: SESSION_ENDED } : current));
    });
    return () => onSessionEnded(null);
  }, []);

  const session = state.status === 'signedIn' ? state.session : null;
  const alliances = useMemo(() => (session === null ? [] : alliancesOf(session)), [session]);
  const alliance = chosenAlliance !== null && alliances.includes(chosenAlliance) ? chosenAlliance : (alliances[0] ?? null);
  const memberships = useMemo(() => (session === null || alliance === null ? [] : membershipsIn(session, alliance)), [session, alliance]);
  // The API works out the alliance by itself for someone in only one; name it only when it cannot.
  setRequestAlliance(alliances.length > 1 ? alliance : null);

  const signOut = useCallback(async () => {
    await endSession();
    adopt(null, 'You have signed out.');
  }, [adopt]);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      alliance,
      memberships,
      chooseAlliance: setChosenAlliance,
      signedIn: (next: Session) => adopt(next),
      signOut,
      retry: () => {
        setState({ status: 'loading' });
        setAttempt((count) => count + 1);
      },
    }),
    [state, alliance, memberships, adopt, signOut],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
