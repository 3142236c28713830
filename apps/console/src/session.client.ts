import { ApiError, getJson, sendJson } from './api.client';

export type MembershipRole = 'alliance_admin' | 'anchor_lead' | 'org_lead' | 'data_lead' | 'volunteer';

export interface SessionMembership {
  readonly allianceId: string;
  readonly allianceSlug: string;
  /** Null for the roles held across an alliance (alliance admin, data lead). */
  readonly organizationId: string | null;
  readonly organizationSlug: string | null;
  readonly role: MembershipRole;
}

/** What the API answers on sign-in and to `GET /api/auth/sessions/current`. */
export interface Session {
  readonly user: { readonly id: string; readonly email: string; readonly displayName: string };
  readonly memberships: readonly SessionMembership[];
  readonly expiresAt: string;
  /** Sent back in X-CSRF-Token with every change; kept in memory only. */
  readonly csrfToken: string;
}

/** The session this browser holds, or null when it holds none (401). */
export async function fetchCurrentSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    return await getJson<Session>('/api/auth/sessions/current', signal, { needsSession: false });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function signIn(email: string, password: string): Promise<Session> {
  return sendJson<Session>('POST', '/api/auth/sessions', { email, password }, { needsSession: false });
}

/** Revokes the session on the server; an already ended one counts as signed out. */
export async function signOut(): Promise<void> {
  try {
    await sendJson<null>('DELETE', '/api/auth/sessions/current', undefined, { needsSession: false });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    throw error;
  }
}
