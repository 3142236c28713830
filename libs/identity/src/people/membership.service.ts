import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { AuditLogService } from '../audit/audit-log.service';
import type { Authorization } from '../authorization/authorization';
import { AccessPolicyService } from '../authorization/access-policy.service';
import { Permission } from '../authorization/permission.enum';
import { ALLIANCE_WIDE_ROLES, MembershipRole } from '../entities/membership-role.enum';
import { OrganizationKind } from '../entities/organization-kind.enum';
import { OrganizationRepository } from '../organizations/organization.repository';
import type { OrganizationReference } from '../organizations/organization-view';
import type { SignedInUser } from '../sessions/signed-in-user';
import { IdentityTransactionRunner } from './identity-transaction.runner';
import { MembershipAuthority } from './membership-authority';
import { MembershipRepository, type MembershipRow } from './membership.repository';
import type { MembershipView, PersonView } from './person-view';

/**
 * Who belongs to what, and changes to it. An alliance admin manages everyone in the alliance; an
 * anchor lead its anchor and the anchor's members; an org lead its own organization, and only
 * org leads and volunteers there. No one hands out a role above their own, and an alliance never
 * loses its last admin. Changes are audited.
 */
@Injectable()
export class MembershipService {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly memberships: MembershipRepository,
    private readonly organizations: OrganizationRepository,
    private readonly transactions: IdentityTransactionRunner,
    private readonly audit: AuditLogService,
  ) {}

  /** Everyone the user manages in the alliance: everyone, for an alliance admin. */
  async listForAlliance(user: SignedInUser, allianceSlug: string | undefined): Promise<{ allianceSlug: string; people: PersonView[] }> {
    const authorization = await this.policy.authorize(user, { slug: allianceSlug }, Permission.ManageMembers);
    const authority = new MembershipAuthority(user, authorization);
    const reached = authority.isAllianceAdmin
      ? 'all'
      : [...new Set(authorization.actingOrganizations.flatMap((organization) => [organization.id, ...organization.memberIds]))];
    return { allianceSlug: authorization.allianceSlug, people: peopleOf(await this.memberships.list(authorization.allianceId, reached)) };
  }

  async listForOrganization(
    user: SignedInUser,
    allianceSlug: string | undefined,
    organizationSlug: string,
  ): Promise<{ allianceSlug: string; organization: OrganizationReference; people: PersonView[] }> {
    const authorization = await this.policy.authorize(user, { slug: allianceSlug }, Permission.ManageMembers);
    const organization = await this.organizations.findBySlug(authorization.allianceId, organizationSlug);
    if (organization === null) throw new NotFoundDomainException('Organization', organizationSlug);
    if (!new MembershipAuthority(user, authorization).reaches(organization.id)) {
      throw new DomainException(DomainErrorCode.Forbidden, `You do not manage the people of "${organization.slug}"`);
    }
    return {
      allianceSlug: authorization.allianceSlug,
      organization: { id: organization.id, slug: organization.slug, name: organization.name },
      people: peopleOf(await this.memberships.list(authorization.allianceId, [organization.id])),
    };
  }

  async changeRole(user: SignedInUser, membershipId: string, role: MembershipRole): Promise<PersonView> {
    const { membership, authorization, authority } = await this.managed(user, membershipId);
    if ((membership.organizationId === null) !== ALLIANCE_WIDE_ROLES.includes(role)) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        membership.organizationId === null
          ? `role must stay alliance-wide (${ALLIANCE_WIDE_ROLES.join(' or ')}) for a membership without an organization`
          : `role ${role} is alliance-wide and is not held in an organization; invite the person to it instead`,
        { field: 'role' },
      );
    }
    if (role === MembershipRole.AnchorLead && membership.organizationKind !== OrganizationKind.Anchor) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'role anchor_lead is held in an anchor organization, not a member one', { field: 'role' });
    }
    if (!authority.mayGrant(membership.organizationId, role)) {
      throw new DomainException(DomainErrorCode.Forbidden, `Your role does not allow granting ${role} there`, { role });
    }
    if (role !== membership.role) {
      await this.transactions.run(async ({ memberships }) => {
        await this.keepAnAdmin(memberships, membership);
        if (!(await memberships.changeRole(membership.id, membership.role, role))) throw changedMeanwhile(membership.id);
      });
      await this.audit.record(authorization, 'membership.role_changed', {
        subjectType: 'membership',
        subjectId: membership.id,
        details: { userId: membership.userId, organizationId: membership.organizationId, from: membership.role, to: role },
      });
    }
    const [person] = peopleOf([{ ...membership, role }]);
    return person;
  }

  async remove(user: SignedInUser, membershipId: string): Promise<void> {
    const { membership, authorization } = await this.managed(user, membershipId);
    await this.transactions.run(async ({ memberships }) => {
      await this.keepAnAdmin(memberships, membership);
      if (!(await memberships.delete(membership.id))) throw new NotFoundDomainException('Membership', membership.id);
    });
    await this.audit.record(authorization, 'membership.removed', {
      subjectType: 'membership',
      subjectId: membership.id,
      details: { userId: membership.userId, organizationId: membership.organizationId, role: membership.role },
    });
  }

  /** A membership the user may change or remove; one in an alliance they do not belong to does not exist for them. */
  private async managed(
    user: SignedInUser,
    membershipId: string,
  ): Promise<{ membership: MembershipRow; authorization: Authorization; authority: MembershipAuthority }> {
    const membership = await this.memberships.findById(membershipId);
    if (membership === null || !user.memberships.some((own) => own.allianceId === membership.allianceId)) {
      throw new NotFoundDomainException('Membership', membershipId);
    }
    const authorization = await this.policy.authorize(user, { id: membership.allianceId }, Permission.ManageMembers);
    const authority = new MembershipAuthority(user, authorization);
    if (!authority.mayGrant(membership.organizationId, membership.role)) {
      throw new DomainException(
        DomainErrorCode.Forbidden,
        authority.reaches(membership.organizationId)
          ? `Your role does not allow changing a ${membership.role} membership`
          : 'You do not manage the organization of that membership',
      );
    }
    return { membership, authorization, authority };
  }

  /** Inside the change's transaction: refuses to take away the alliance's last admin. */
  private async keepAnAdmin(memberships: MembershipRepository, membership: MembershipRow): Promise<void> {
    if (membership.role !== MembershipRole.AllianceAdmin || membership.organizationId !== null) return;
    const admins = await memberships.lockAllianceAdmins(membership.allianceId);
    if (!admins.includes(membership.id)) throw changedMeanwhile(membership.id);
    if (admins.length === 1) {
      throw new DomainException(DomainErrorCode.Conflict, 'That is the alliance\u2019s last alliance admin; make someone else an admin first', {
        reason: 'last_alliance_admin',
      });
    }
  }
}

function changedMeanwhile(membershipId: string): DomainException {
  return new DomainException(DomainErrorCode.Conflict, 'That membership was changed or removed meanwhile; reload and try again', { membershipId });
}

/** Rows (ordered by person) grouped into people. */
function peopleOf(rows: readonly MembershipRow[]): PersonView[] {
  const people = new Map<string, { userId: string; email: string; displayName: string; memberships: MembershipView[] }>();
  for (const row of rows) {
    const person = people.get(row.userId) ?? { userId: row.userId, email: row.email, displayName: row.displayName, memberships: [] };
    person.memberships.push({
      id: row.id,
      organization:
        row.organizationId === null ? null : { id: row.organizationId, slug: row.organizationSlug!, name: row.organizationName!, kind: row.organizationKind! },
      role: row.role,
      createdAt: row.createdAt,
    });
    people.set(row.userId, person);
  }
  return [...people.values()];
}
