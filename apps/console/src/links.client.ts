import { sendJson } from './api.client';
import type { OrganizationKind } from './organizations.client';
import type { MembershipRole, Session } from './session.client';

/** The shortest password the API accepts for a new account or a reset (MINIMUM_PASSWORD_LENGTH). */
export const MINIMUM_PASSWORD_LENGTH = 12;

/** What an invitation link is for, as its holder may see it before accepting. */
export interface InvitationPreview {
  readonly alliance: string;
  readonly allianceName: string;
  /** Null for an alliance-wide role. */
  readonly organization: { readonly slug: string; readonly name: string; readonly kind: OrganizationKind } | null;
  readonly role: MembershipRole;
  readonly expiresAt: string;
  /** True: the email has an account already, and accepting asks for its current password instead of a new one and a name. */
  readonly existingAccount: boolean;
}

// Link secrets travel in request bodies, never in URLs (which end up in access logs).

export function lookUpInvitation(token: string, signal?: AbortSignal): Promise<InvitationPreview> {
  return sendJson('POST', '/api/invitations/lookup', { token }, { signal, needsSession: false });
}

/** Accepting signs the person in: the answer is a session, as a sign-in's is. */
export function acceptInvitation(acceptance: { token: string; displayName?: string; password: string }): Promise<Session> {
  return sendJson('POST', '/api/invitations/accept', acceptance, { needsSession: false });
}

export function requestPasswordReset(email: string): Promise<null> {
  return sendJson('POST', '/api/password-resets', { email }, { needsSession: false });
}

export function completePasswordReset(token: string, password: string): Promise<null> {
  return sendJson('POST', '/api/password-resets/complete', { token, password }, { needsSession: false });
}

/** What is wrong with a new password and its confirmation, or null when nothing is. */
export function newPasswordProblem(password: string, confirmation: string): string | null {
  if (password.length < MINIMUM_PASSWORD_LENGTH) return `The password must be at least ${MINIMUM_PASSWORD_LENGTH} characters long.`;
  if (password !== confirmation) return 'The two passwords are not the same.';
  return null;
}
