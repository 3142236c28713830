import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@app/common';
import { AuditLogService } from '../audit/audit-log.service';
import { AccessPolicyService } from '../authorization/access-policy.service';
import { Permission } from '../authorization/permission.enum';
import { ALLIANCE_WIDE_ROLES, MembershipRole } from '../entities/membership-role.enum';
import { OrganizationKind } from '../entities/organization-kind.enum';
import { ConsoleLinkFactory } from '../notifications/console-link.factory';
import { Notifier } from '../notifications/notifier';
import { OrganizationRepository, type OrganizationRow } from '../organizations/organization.repository';
import { MembershipAuthority } from '../people/membership-authority';
import { MembershipRepository } from '../people/membership.repository';
import { newSessionToken, sessionTokenHash } from '../sessions/session-token.util';
import type { SignedInUser } from '../sessions/signed-in-user';
import { InvitationRepository } from './invitation.repository';
import type { InvitationView } from './invitation-view';

export const DEFAULT_INVITATION_DAYS = 7;
export const MAXIMUM_INVITATION_DAYS = 30;

export interface NewInvitation {
  readonly allianceSlug: string | undefined;
  /** Null for the alliance-wide roles. */
  readonly organizationSlug: string | null;
  readonly role: MembershipRole;
  readonly email: string;
  readonly expiresInDays?: number;
}

/**
 * Single-use, expiring invitations: a manager invites someone by email to a role they may grant
 * where they manage people. The link travels through the notifier; only a hash of its secret is
 * stored. InvitationAcceptanceService redeems it.
 */
@Injectable()
export class InvitationService {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly organizations: OrganizationRepository,
    private readonly invitations: InvitationRepository,
    private readonly memberships: MembershipRepository,
    private readonly notifier: Notifier,
    private readonly links: ConsoleLinkFactory,
    private readonly audit: AuditLogService,
  ) {}

  async invite(user: SignedInUser, invitation: NewInvitation): Promise<InvitationView> {
    const { role } = invitation;
    const email = invitation.email.trim().toLowerCase();
    if ((invitation.organizationSlug === null) !== ALLIANCE_WIDE_ROLES.includes(role)) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        invitation.organizationSlug === null
          ? `organization must name the organization a ${role} belongs to`
          : `organization must be null for ${role}, which is held across the alliance`,
        { field: 'organization' },
      );
    }
    const authorization = await this.policy.authorize(user, { slug: invitation.allianceSlug }, Permission.ManageMembers);
    let organization: OrganizationRow | null = null;
    if (invitation.organizationSlug !== null) {
      organization = await this.organizations.findBySlug(authorization.allianceId, invitation.organizationSlug);
      if (organization === null) {
        throw new DomainException(DomainErrorCode.NotFound, `There is no organization "${invitation.organizationSlug}" in this alliance`, {
          field: 'organization',
        });
      }
      if (role === MembershipRole.AnchorLead && organization.kind !== OrganizationKind.Anchor) {
        throw new DomainException(DomainErrorCode.ValidationFailed, 'role anchor_lead is held in an anchor organization, not a member one', { field: 'role' });
      }
    }
    const organizationId = organization?.id ?? null;
    const authority = new MembershipAuthority(user, authorization);
    if (!authority.mayGrant(organizationId, role)) {
      throw new DomainException(
        DomainErrorCode.Forbidden,
        authority.reaches(organizationId) ? `Your role does not allow inviting a ${role}` : 'You do not manage the people of that organization',
        { role },
      );
    }
    if (await this.memberships.exists(email, authorization.allianceId, organizationId, role)) {
      throw new DomainException(DomainErrorCode.Conflict, `That person already holds the role ${role} there`, { field: 'email' });
    }
    const token = newSessionToken();
    const created = await this.invitations.insert({
      allianceId: authorization.allianceId,
      organizationId,
      role,
      email,
      tokenHash: sessionTokenHash(token),
      invitedByUserId: user.userId,
      expiresInDays: invitation.expiresInDays ?? DEFAULT_INVITATION_DAYS,
    });
    await this.notifier.deliver({
      kind: 'invitation',
      subjectId: created.id,
      recipientEmail: email,
      link: this.links.invitation(token),
      expiresAt: created.expiresAt,
    });
    await this.audit.record(authorization, 'invitation.created', {
      subjectType: 'invitation',
      subjectId: created.id,
      details: { organizationId, role, expiresAt: created.expiresAt.toISOString() },
    });
    return {
      id: created.id,
      allianceSlug: authorization.allianceSlug,
      organization: organization === null ? null : { slug: organization.slug, name: organization.name, kind: organization.kind },
      role,
      email,
      expiresAt: created.expiresAt,
    };
  }
}
