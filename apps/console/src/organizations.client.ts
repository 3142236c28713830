import { getJson, requestAlliance, sendJson, withAlliance } from './api.client';
import type { MembershipRole } from './session.client';

export type OrganizationKind = 'anchor' | 'member';

export interface OrganizationReference {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

/** An anchor with its region and members, or a member with its anchor (GET /api/organizations). */
export interface Organization extends OrganizationReference {
  readonly kind: OrganizationKind;
  /** An anchor's counties, as people typed them; empty for a member. */
  readonly regionCounties: readonly string[];
  readonly anchor: OrganizationReference | null;
  readonly members: readonly OrganizationReference[];
}

export interface OrganizationList {
  readonly alliance: string;
  /** Anchors first, then members, each by name. */
  readonly organizations: readonly Organization[];
}

export interface Membership {
  /** For PATCH and DELETE /api/memberships/{id}. */
  readonly id: string;
  /** Null for an alliance-wide role. */
  readonly organization: (OrganizationReference & { readonly kind: OrganizationKind }) | null;
  readonly role: MembershipRole;
  readonly createdAt: string;
}

export interface Person {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  /** The memberships of theirs that the viewer manages. */
  readonly memberships: readonly Membership[];
}

export interface Invitation {
  readonly id: string;
  readonly alliance: string;
  readonly organization: { readonly slug: string; readonly name: string; readonly kind: OrganizationKind } | null;
  readonly role: MembershipRole;
  readonly email: string;
  readonly expiresAt: string;
}

export interface NewInvitation {
  /** Null for the alliance-wide roles (alliance admin, data lead). */
  readonly organization: string | null;
  readonly role: MembershipRole;
  readonly email: string;
}

export function listOrganizations(signal?: AbortSignal): Promise<OrganizationList> {
  return getJson(withAlliance('/api/organizations'), signal);
}

/** Everyone the viewer manages in the alliance. */
export function listPeople(signal?: AbortSignal): Promise<{ alliance: string; people: Person[] }> {
  return getJson(withAlliance('/api/people'), signal);
}

export function listOrganizationPeople(
  slug: string,
  signal?: AbortSignal,
): Promise<{ alliance: string; organization: OrganizationReference; people: Person[] }> {
  return getJson(withAlliance(`/api/organizations/${encodeURIComponent(slug)}/people`), signal);
}

/** The link goes to the person through the API's notifier; the answer says what was sent, not the link. */
export function invite(invitation: NewInvitation): Promise<Invitation> {
  const alliance = requestAlliance();
  return sendJson('POST', '/api/invitations', { ...invitation, ...(alliance === null ? {} : { alliance }) });
}

export function changeRole(membershipId: string, role: MembershipRole): Promise<Person> {
  return sendJson('PATCH', `/api/memberships/${encodeURIComponent(membershipId)}`, { role });
}

export function removeMembership(membershipId: string): Promise<null> {
  return sendJson('DELETE', `/api/memberships/${encodeURIComponent(membershipId)}`);
}
