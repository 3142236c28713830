import type { Authorization } from '../authorization/authorization';
import { MembershipRole } from '../entities/membership-role.enum';
import type { SignedInUser } from '../sessions/signed-in-user';

/**
 * The roles each role may hand out (and so also change or take away) where it holds sway: never
 * one above its own, and the alliance-wide roles (alliance admin, data lead) only by an alliance admin.
 */
const GRANTABLE: Readonly<Record<MembershipRole, readonly MembershipRole[]>> = {
  [MembershipRole.AllianceAdmin]: Object.values(MembershipRole),
  [MembershipRole.AnchorLead]: [MembershipRole.AnchorLead, MembershipRole.OrgLead, MembershipRole.Volunteer],
  [MembershipRole.OrgLead]: [MembershipRole.OrgLead, MembershipRole.Volunteer],
  [MembershipRole.DataLead]: [],
  [MembershipRole.Volunteer]: [],
};

/** Strongest first: when several memberships reach an organization, the strongest speaks. */
const STRENGTH: readonly MembershipRole[] = [MembershipRole.AllianceAdmin, MembershipRole.AnchorLead, MembershipRole.OrgLead];

/**
 * What a user may do to memberships in one alliance, from their authorization to manage members:
 * an alliance admin anywhere; an anchor lead in its anchor and the anchor's members; an org lead
 * in its own organization.
 */
export class MembershipAuthority {
  private readonly allianceAdmin: boolean;

  constructor(
    user: SignedInUser,
    private readonly authorization: Authorization,
  ) {
    this.allianceAdmin = user.memberships.some(
      (membership) =>
        membership.allianceId === authorization.allianceId && membership.organizationId === null && membership.role === MembershipRole.AllianceAdmin,
    );
  }

  get isAllianceAdmin(): boolean {
    return this.allianceAdmin;
  }

  /** The role through which the user acts on an organization (null: an alliance-wide membership), or null when it does not reach it. */
  roleOver(organizationId: string | null): MembershipRole | null {
    if (this.allianceAdmin) return MembershipRole.AllianceAdmin;
    if (organizationId === null) return null;
    const reaching = new Set(
      this.authorization.actingOrganizations
        .filter(
          (organization) =>
            organization.id === organizationId || (organization.role === MembershipRole.AnchorLead && organization.memberIds.includes(organizationId)),
        )
        // A role held in an anchor reaches its members as that anchor's lead, nothing more.
        .map((organization) => (organization.id === organizationId ? organization.role : MembershipRole.AnchorLead)),
    );
    return STRENGTH.find((role) => reaching.has(role)) ?? null;
  }

  /** Whether the user reaches the organization at all (to list its people). */
  reaches(organizationId: string | null): boolean {
    return this.roleOver(organizationId) !== null;
  }

  /** Whether the user may give `role` in the organization, or change or remove a membership that has it there. */
  mayGrant(organizationId: string | null, role: MembershipRole): boolean {
    const acting = this.roleOver(organizationId);
    return acting !== null && GRANTABLE[acting].includes(role);
  }
}
