import type { ActingOrganization, Authorization } from '../authorization/authorization';
import { Permission } from '../authorization/permission.enum';
import { MembershipRole } from '../entities/membership-role.enum';
import { OrganizationKind } from '../entities/organization-kind.enum';
import type { SignedInMembership, SignedInUser } from '../sessions/signed-in-user';
import { MembershipAuthority } from './membership-authority';

const ALLIANCE = 'alliance-1';
const ANCHOR = 'anchor-1';
const MEMBER = 'member-1';
const OTHER_ANCHOR = 'anchor-2';
const OTHER_MEMBER = 'member-2';
const { AllianceAdmin, AnchorLead, OrgLead, DataLead, Volunteer } = MembershipRole;
const ALL_ROLES = Object.values(MembershipRole);

/** The authority of someone holding these roles, as the policy layer would authorize them to manage members. */
function authorityOf(...held: Array<[MembershipRole, string | null]>): MembershipAuthority {
  const memberships: SignedInMembership[] = held.map(([role, organizationId]) => ({
    allianceId: ALLIANCE,
    allianceSlug: 'a',
    organizationId,
    organizationSlug: organizationId,
    role,
  }));
  const acting: ActingOrganization[] = held
    .filter(([role, organizationId]) => organizationId !== null && role !== Volunteer && role !== DataLead)
    .map(([role, organizationId]) => ({
      id: organizationId!,
      slug: organizationId!,
      name: organizationId!,
      kind: organizationId!.startsWith('anchor') ? OrganizationKind.Anchor : OrganizationKind.Member,
      role,
      regionCounties: [],
      memberIds: role === AnchorLead ? [organizationId === ANCHOR ? MEMBER : OTHER_MEMBER] : [],
    }));
  const allianceWide = held.some(([role, organizationId]) => organizationId === null && role === AllianceAdmin);
  const scope = { kind: 'alliance', allianceId: ALLIANCE } as const;
  const authorization: Authorization = {
    userId: 'u',
    permission: Permission.ManageMembers,
    allianceId: ALLIANCE,
    allianceSlug: 'a',
    allianceWide,
    actingOrganizations: allianceWide ? [] : acting,
    rowScope: scope,
    visibility: scope,
  };
  const user: SignedInUser = { sessionId: 's', userId: 'u', email: 'e', displayName: 'd', expiresAt: new Date(), memberships };
  return new MembershipAuthority(user, authorization);
}

const grantable = (authority: MembershipAuthority, organizationId: string | null) => ALL_ROLES.filter((role) => authority.mayGrant(organizationId, role));

describe('MembershipAuthority', () => {
  it('should let an alliance admin grant every role anywhere in the alliance, alliance-wide ones included', () => {
    const admin = authorityOf([AllianceAdmin, null]);
    expect(admin.isAllianceAdmin).toBe(true);
    for (const organization of [null, ANCHOR, MEMBER, OTHER_MEMBER]) expect(grantable(admin, organization)).toEqual(ALL_ROLES);
  });

  it("should let an anchor lead grant up to its own role in its anchor and the anchor's members, and nothing elsewhere", () => {
    const lead = authorityOf([AnchorLead, ANCHOR]);
    expect(lead.isAllianceAdmin).toBe(false);
    expect(grantable(lead, ANCHOR)).toEqual([AnchorLead, OrgLead, Volunteer]);
    expect(grantable(lead, MEMBER)).toEqual([AnchorLead, OrgLead, Volunteer]);
    expect(grantable(lead, OTHER_ANCHOR)).toEqual([]);
    expect(grantable(lead, OTHER_MEMBER)).toEqual([]);
    expect(grantable(lead, null)).toEqual([]);
    expect(lead.reaches(MEMBER)).toBe(true);
    expect(lead.reaches(OTHER_MEMBER)).toBe(false);
  });

  it('should let an org lead grant only org_lead and volunteer, and only in its own organization', () => {
    const lead = authorityOf([OrgLead, MEMBER]);
    expect(grantable(lead, MEMBER)).toEqual([OrgLead, Volunteer]);
    expect(grantable(lead, ANCHOR)).toEqual([]);
    expect(grantable(lead, OTHER_MEMBER)).toEqual([]);
    expect(grantable(lead, null)).toEqual([]);
  });

  it('should give volunteers and data leads no say over anyone', () => {
    for (const authority of [authorityOf([Volunteer, MEMBER]), authorityOf([DataLead, null])]) {
      for (const organization of [null, ANCHOR, MEMBER]) expect(grantable(authority, organization)).toEqual([]);
    }
  });

  it('should act through the strongest of several memberships that reach an organization', () => {
    // An org lead of a member who also leads its anchor acts there as the anchor's lead.
    const both = authorityOf([OrgLead, MEMBER], [AnchorLead, ANCHOR]);
    expect(both.roleOver(MEMBER)).toBe(AnchorLead);
    // Leading an anchor reaches its members as their anchor's lead, never more.
    expect(authorityOf([AnchorLead, ANCHOR]).roleOver(MEMBER)).toBe(AnchorLead);
    expect(authorityOf([OrgLead, ANCHOR]).roleOver(MEMBER)).toBeNull();
  });
});
