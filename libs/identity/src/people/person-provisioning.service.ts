import { Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { DomainErrorCode, DomainException } from '@app/common';
import { AllianceLookupService } from '../alliance-lookup.service';
import { AuditLogService } from '../audit/audit-log.service';
import { ALLIANCE_WIDE_ROLES, MembershipRole } from '../entities/membership-role.enum';
import { OrganizationKind } from '../entities/organization-kind.enum';
import { OrganizationRepository } from '../organizations/organization.repository';
import { ARGON2ID_PARAMETERS } from '../passwords/argon2id-parameters.constant';
import { IdentityTransactionRunner } from './identity-transaction.runner';

export interface Provisioning {
  readonly allianceSlug: string | undefined;
  /** Null for the alliance-wide roles. */
  readonly organizationSlug: string | null;
  readonly role: MembershipRole;
  readonly email: string;
  /** Kept as it is for an existing account when not given; a new one is named after its email. */
  readonly displayName?: string;
  /** Without one, an existing account keeps its password and a new one has none until a reset link is used. */
  readonly password?: string;
}

export interface ProvisioningResult {
  readonly userId: string;
  readonly email: string;
  readonly allianceSlug: string;
  readonly organizationSlug: string | null;
  readonly role: MembershipRole;
  readonly userCreated: boolean;
  readonly membershipCreated: boolean;
}

/**
 * An operator's way to put a person in place (the command line's `users create`): the account and
 * one membership, created or brought up to date in one transaction. Operators act outside the
 * policy layer, as the database's owner does; what they do is audited with no actor.
 */
@Injectable()
export class PersonProvisioningService {
  constructor(
    private readonly alliances: AllianceLookupService,
    private readonly organizations: OrganizationRepository,
    private readonly transactions: IdentityTransactionRunner,
    private readonly audit: AuditLogService,
  ) {}

  async provision(provisioning: Provisioning): Promise<ProvisioningResult> {
    const { role } = provisioning;
    const email = provisioning.email.trim().toLowerCase();
    if ((provisioning.organizationSlug === null) !== ALLIANCE_WIDE_ROLES.includes(role)) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        provisioning.organizationSlug === null
          ? `a ${role} belongs to an organization: name it`
          : `${role} is held across the alliance, not in an organization: leave the organization out`,
        { field: 'organization' },
      );
    }
    const alliance = await this.alliances.resolve(provisioning.allianceSlug);
    let organizationId: string | null = null;
    if (provisioning.organizationSlug !== null) {
      const organization = await this.organizations.findBySlug(alliance.id, provisioning.organizationSlug);
      if (organization === null) {
        throw new DomainException(DomainErrorCode.NotFound, `there is no organization "${provisioning.organizationSlug}" in the alliance ${alliance.slug}`, {
          field: 'organization',
        });
      }
      if (role === MembershipRole.AnchorLead && organization.kind !== OrganizationKind.Anchor) {
        throw new DomainException(DomainErrorCode.ValidationFailed, `anchor_lead is held in an anchor organization; "${organization.slug}" is a member one`, {
          field: 'role',
        });
      }
      organizationId = organization.id;
    }
    const passwordHash = provisioning.password === undefined ? undefined : await hash(provisioning.password, ARGON2ID_PARAMETERS);
    const displayName = provisioning.displayName?.trim() || undefined;
    const outcome = await this.transactions.run(async ({ users, memberships }) => {
      const existing = await users.findByEmail(email);
      let userId = existing?.id ?? null;
      if (existing === null) {
        userId = await users.insert(email, displayName ?? email.split('@')[0].slice(0, 200), passwordHash ?? null);
        if (userId === null)
          throw new DomainException(DomainErrorCode.Conflict, 'an account with this email was created meanwhile; run the command again', { field: 'email' });
      } else {
        await users.update(existing.id, { displayName, passwordHash });
      }
      const membershipId = await memberships.insertIfMissing(userId!, alliance.id, organizationId, role);
      return { userId: userId!, userCreated: existing === null, membershipId };
    });
    const actor = { userId: null, allianceId: alliance.id };
    if (outcome.membershipId !== null) {
      await this.audit.record(actor, 'membership.created', {
        subjectType: 'membership',
        subjectId: outcome.membershipId,
        details: { userId: outcome.userId, organizationId, role, via: 'cli' },
      });
    }
    if (passwordHash !== undefined) {
      await this.audit.record(actor, 'password.set', { subjectType: 'app_user', subjectId: outcome.userId, details: { via: 'cli' } });
    }
    return {
      userId: outcome.userId,
      email,
      allianceSlug: alliance.slug,
      organizationSlug: provisioning.organizationSlug,
      role,
      userCreated: outcome.userCreated,
      membershipCreated: outcome.membershipId !== null,
    };
  }
}
