import type { Organization } from './organizations.client';
import type { MembershipRole, SessionMembership } from './session.client';

/**
 * The console's copy of the API's rule (libs/identity MembershipAuthority), used only to offer
 * sensible choices: the API decides, and its refusal is shown as it comes.
 */
const GRANTABLE: Readonly<Record<MembershipRole, readonly MembershipRole[]>> = {
  alliance_admin: ['alliance_admin', 'data_lead', 'anchor_lead', 'org_lead', 'volunteer'],
  anchor_lead: ['anchor_lead', 'org_lead', 'volunteer'],
  org_lead: ['org_lead', 'volunteer'],
  data_lead: [],
  volunteer: [],
};
const ALLIANCE_WIDE: readonly MembershipRole[] = ['alliance_admin', 'data_lead'];
const STRENGTH: readonly MembershipRole[] = ['alliance_admin', 'anchor_lead', 'org_lead'];

/** The role through which the person acts on an organization (null: the alliance itself), or null when they do not reach it. */
export function roleOver(memberships: readonly SessionMembership[], organization: Organization | null): MembershipRole | null {
  if (memberships.some((membership) => membership.role === 'alliance_admin' && membership.organizationSlug === null)) return 'alliance_admin';
  if (organization === null) return null;
  const reaching = new Set<MembershipRole>();
  for (const membership of memberships) {
    if (membership.organizationSlug === organization.slug) reaching.add(membership.role);
    if (membership.role === 'anchor_lead' && organization.anchor?.slug === membership.organizationSlug) reaching.add('anchor_lead');
  }
  return STRENGTH.find((role) => reaching.has(role)) ?? null;
}

/** The roles the person may give (and so change or remove) in an organization, or across the alliance for null. */
export function grantableRoles(memberships: readonly SessionMembership[], organization: Organization | null): MembershipRole[] {
  const acting = roleOver(memberships, organization);
  if (acting === null) return [];
  return GRANTABLE[acting].filter((role) => {
    if (organization === null) return ALLIANCE_WIDE.includes(role);
    if (ALLIANCE_WIDE.includes(role)) return false;
    return role !== 'anchor_lead' || organization.kind === 'anchor';
  });
}

/** The organizations whose people the person manages. */
export function managedOrganizations(memberships: readonly SessionMembership[], organizations: readonly Organization[]): Organization[] {
  return organizations.filter((organization) => roleOver(memberships, organization) !== null);
}
