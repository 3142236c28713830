import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@app/common';
import type { RowAccessScope } from '@app/database';
import { MembershipRole } from '../entities/membership-role.enum';
import type { SignedInMembership, SignedInUser } from '../sessions/signed-in-user';
import type { ActingOrganization, Authorization } from './authorization';
import { AccessPolicyRepository, type PolicyOrganization } from './access-policy.repository';
import { Permission } from './permission.enum';
import { ROLE_PERMISSIONS } from './role-permissions.constant';

/** Which alliance a request is about: named by slug, known by id (from a record), or left to the user's only one. */
export type AllianceReference = { readonly slug: string | undefined } | { readonly id: string };

/**
 * The one place that decides who may see and change what. Routes ask it before they act; it
 * answers with an Authorization (whose scope the queries and the row policies then enforce) or
 * refuses. An alliance the user does not belong to is reported as not existing: its name is
 * nobody else's business.
 */
@Injectable()
export class AccessPolicyService {
  constructor(private readonly repository: AccessPolicyRepository) {}

  async authorize(user: SignedInUser, alliance: AllianceReference, permission: Permission): Promise<Authorization> {
    const { id: allianceId, slug: allianceSlug } = await this.allianceOf(user, alliance);
    const memberships = user.memberships.filter((membership) => membership.allianceId === allianceId);
    const granting = memberships.filter((membership) => this.allows(membership.role, permission));
    if (granting.length === 0) {
      throw new DomainException(DomainErrorCode.Forbidden, `Your role in this alliance does not allow ${permission}`, { permission });
    }
    const base = { userId: user.userId, permission, allianceId, allianceSlug };
    if (granting.some((membership) => membership.organizationId === null)) {
      const scope: RowAccessScope = { kind: 'alliance', allianceId };
      return { ...base, allianceWide: true, actingOrganizations: [], rowScope: scope, visibility: this.visibilityOf(scope) };
    }
    const acting = await this.actingOrganizations(allianceId, granting);
    const rowScope = rowScopeOf(allianceId, acting);
    return { ...base, allianceWide: false, actingOrganizations: acting, rowScope, visibility: this.visibilityOf(rowScope) };
  }

  /**
   * Whether a role carries a permission. This and visibilityOf are the first wall; the test that
   * proves the database's wall holds on its own overrides both.
   */
  protected allows(role: MembershipRole, permission: Permission): boolean {
    return ROLE_PERMISSIONS[role].has(permission);
  }

  /** The narrowing queries apply themselves: exactly what the row policies will enforce. */
  protected visibilityOf(rowScope: RowAccessScope): RowAccessScope {
    return rowScope;
  }

  private async allianceOf(user: SignedInUser, reference: AllianceReference): Promise<{ id: string; slug: string }> {
    if ('id' in reference || reference.slug !== undefined) {
      const alliance = await this.repository.findAlliance('id' in reference ? { id: reference.id } : { slug: reference.slug! });
      if (alliance && user.memberships.some((membership) => membership.allianceId === alliance.id)) return alliance;
      const named = 'id' in reference ? 'with that id' : `"${reference.slug}"`;
      throw new DomainException(DomainErrorCode.NotFound, `There is no alliance ${named} among yours`, {
        alliance: 'id' in reference ? reference.id : reference.slug,
      });
    }
    const own = [...new Map(user.memberships.map((membership) => [membership.allianceId, membership.allianceSlug])).entries()];
    if (own.length === 1) return { id: own[0][0], slug: own[0][1] };
    if (own.length === 0) throw new DomainException(DomainErrorCode.Forbidden, 'You are not a member of any alliance yet');
    throw new DomainException(
      DomainErrorCode.ValidationFailed,
      `You belong to several alliances; name one with the alliance parameter (${own.map(([, slug]) => slug).join(', ')})`,
      {
        parameter: 'alliance',
      },
    );
  }

  private async actingOrganizations(allianceId: string, memberships: readonly SignedInMembership[]): Promise<ActingOrganization[]> {
    const withOrganization = memberships.filter((membership) => membership.organizationId !== null);
    const organizations = new Map<string, PolicyOrganization>(
      (await this.repository.findOrganizations(allianceId, [...new Set(withOrganization.map((membership) => membership.organizationId!))])).map(
        (organization) => [organization.id, organization],
      ),
    );
    return withOrganization.flatMap((membership) => {
      const organization = organizations.get(membership.organizationId!);
      if (!organization) return [];
      // An anchor's region and members come with leading it, not with any other role there.
      const leadsAnchor = membership.role === MembershipRole.AnchorLead;
      return [
        {
          id: organization.id,
          slug: organization.slug,
          name: organization.name,
          kind: organization.kind,
          role: membership.role,
          // Voter files write counties in capitals; regions are kept as people type them.
          regionCounties: leadsAnchor ? organization.regionCounties.map(countyKey) : [],
          memberIds: leadsAnchor ? organization.memberIds : [],
        },
      ];
    });
  }
}

/** A county as the voter file stores it: capitals, single spaces. */
export function countyKey(county: string): string {
  return county
    .trim()
    .replace(/\s{2,}/g, ' ')
    .toUpperCase();
}

/** An organization sees what is turfed to it; an anchor lead also its members' turf and its whole region. */
function rowScopeOf(allianceId: string, organizations: readonly ActingOrganization[]): RowAccessScope {
  return {
    kind: 'organizations',
    allianceId,
    organizationIds: [...new Set(organizations.flatMap((organization) => [organization.id, ...organization.memberIds]))],
    regionCounties: [...new Set(organizations.flatMap((organization) => organization.regionCounties))],
  };
}
