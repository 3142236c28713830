import type { MembershipRole, Session, SessionMembership } from './session.client';

export const ROLE_LABELS: Record<MembershipRole, string> = {
  alliance_admin: 'Alliance admin',
  anchor_lead: 'Anchor lead',
  org_lead: 'Organization lead',
  data_lead: 'Data lead',
  volunteer: 'Volunteer',
};

/** The console's areas, and the roles that open them (the API decides what each may do inside). */
export type Area = 'voterFile' | 'voterImports' | 'turf' | 'organizations' | 'segments' | 'segmentEditing' | 'calling' | 'campaigns' | 'progress';

const AREA_ROLES: Record<Area, readonly MembershipRole[]> = {
  voterFile: ['alliance_admin', 'data_lead', 'anchor_lead', 'org_lead'],
  voterImports: ['alliance_admin', 'data_lead'],
  turf: ['alliance_admin', 'anchor_lead'],
  organizations: ['alliance_admin', 'anchor_lead', 'org_lead'],
  // Leads read the taxonomy, the models and where segments fall; only alliance-wide roles change them.
  segments: ['alliance_admin', 'data_lead', 'anchor_lead', 'org_lead'],
  segmentEditing: ['alliance_admin', 'data_lead'],
  // Whoever may call voters (campaigns.call); data leads work on the file, not the phones.
  calling: ['alliance_admin', 'anchor_lead', 'org_lead', 'volunteer'],
  // Leads set up their organizations' phone banks (campaigns.manage); the API decides which ones.
  campaigns: ['alliance_admin', 'anchor_lead', 'org_lead'],
  // Figures by scope (progress.read): alliance-wide roles all of them, an anchor its region, a member its own.
  progress: ['alliance_admin', 'data_lead', 'anchor_lead', 'org_lead'],
};

/** The memberships of one alliance: what the person acts through while it is the chosen one. */
export function membershipsIn(session: Session, allianceSlug: string): readonly SessionMembership[] {
  return session.memberships.filter((membership) => membership.allianceSlug === allianceSlug);
}

export function alliancesOf(session: Session): string[] {
  return [...new Set(session.memberships.map((membership) => membership.allianceSlug))];
}

export function mayUse(memberships: readonly SessionMembership[], area: Area): boolean {
  return memberships.some((membership) => AREA_ROLES[area].includes(membership.role));
}

export function hasRole(memberships: readonly SessionMembership[], role: MembershipRole): boolean {
  return memberships.some((membership) => membership.role === role);
}

/** Where a person lands after signing in when they did not ask for a page: the work their strongest role does most. */
export function homeAreaOf(memberships: readonly SessionMembership[]): 'turf' | 'voterFile' | 'organizations' | 'home' {
  if (hasRole(memberships, 'anchor_lead')) return 'turf';
  if (hasRole(memberships, 'alliance_admin')) return 'organizations';
  if (hasRole(memberships, 'data_lead') || hasRole(memberships, 'org_lead')) return 'voterFile';
  return 'home';
}

/** Volunteers only: no lists of voters, no management, just their calling work. */
export function isVolunteerOnly(memberships: readonly SessionMembership[]): boolean {
  return memberships.length > 0 && memberships.every((membership) => membership.role === 'volunteer');
}
