import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { DomainErrorCode, DomainException } from '@app/common';
import { AuditLogService } from '../audit/audit-log.service';
import { ARGON2ID_PARAMETERS } from '../passwords/argon2id-parameters.constant';
import { MINIMUM_PASSWORD_LENGTH } from '../password-resets/password-rules.constant';
import { AddressAttemptGate } from '../people/address-attempt.gate';
import { IdentityTransactionRunner } from '../people/identity-transaction.runner';
import { UserRepository } from '../people/user.repository';
import { type NewSession, SessionService } from '../sessions/session.service';
import { looksLikeSessionToken, sessionTokenHash } from '../sessions/session-token.util';
import { SignInRateLimiter } from '../sessions/sign-in-rate.limiter';
import { InvitationRepository, type OpenInvitationRow } from './invitation.repository';
import type { InvitationPreview } from './invitation-view';

export interface InvitationAcceptance {
  readonly token: string;
  /** For a new account. */
  readonly displayName?: string;
  /** A new account's password, or the current password of the account the email already has. */
  readonly password: string;
  readonly address: string;
}

/** One answer for an unknown, used or expired link: which of them it is helps nobody holding a stolen one. */
const LINK_NOT_OPEN = 'This invitation link is unknown, already used or expired; ask for a new one';

/**
 * Redeems invitation links, for people without a session. Accepting creates the account (or,
 * proven by its current password, adds to the one the email has), marks the invitation used in
 * the same transaction as the membership it grants, and signs the person in. Both steps count
 * against the address's limit.
 */
@Injectable()
export class InvitationAcceptanceService {
  constructor(
    private readonly invitations: InvitationRepository,
    private readonly users: UserRepository,
    private readonly transactions: IdentityTransactionRunner,
    private readonly sessions: SessionService,
    private readonly limiter: SignInRateLimiter,
    private readonly gate: AddressAttemptGate,
    private readonly audit: AuditLogService,
  ) {}

  async preview(token: string, address: string): Promise<InvitationPreview> {
    await this.gate.admit(address);
    const invitation = await this.open(token);
    const account = await this.users.findByEmail(invitation.email);
    return {
      allianceSlug: invitation.allianceSlug,
      allianceName: invitation.allianceName,
      organization: organizationOf(invitation),
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      existingAccount: account?.passwordHash != null,
    };
  }

  async accept(acceptance: InvitationAcceptance): Promise<NewSession> {
    await this.gate.admit(acceptance.address);
    const invitation = await this.open(acceptance.token);
    // The sign-in that ends a successful acceptance must not be refused after the invitation is spent.
    await this.limiter.admit(invitation.email, acceptance.address);
    const account = await this.users.findByEmail(invitation.email);
    let newPasswordHash: string | null = null;
    if (account?.passwordHash) {
      if (!(await verify(account.passwordHash, acceptance.password).catch(() => false))) {
        // A concurrent acceptance of this very link may have just made the account: the link is spent, say so.
        await this.open(acceptance.token);
        await this.limiter.recordFailure(invitation.email);
        throw new DomainException(DomainErrorCode.Unauthenticated, 'An account with this email exists already: give its current password to accept', {
          field: 'password',
        });
      }
    } else {
      if (acceptance.password.length < MINIMUM_PASSWORD_LENGTH) {
        throw new DomainException(DomainErrorCode.ValidationFailed, `password must be at least ${MINIMUM_PASSWORD_LENGTH} characters`, { field: 'password' });
      }
      if (account === null && !acceptance.displayName?.trim()) {
        throw new DomainException(DomainErrorCode.ValidationFailed, 'displayName must say how the new account is named', { field: 'displayName' });
      }
      newPasswordHash = await hash(acceptance.password, ARGON2ID_PARAMETERS);
    }
    const tokenHash = sessionTokenHash(acceptance.token);
    const accepted = await this.transactions.run(async ({ invitations, users, memberships }) => {
      const claimed = await invitations.claim(tokenHash);
      if (claimed === null) throw new DomainException(DomainErrorCode.NotFound, LINK_NOT_OPEN);
      let userId = account?.id ?? null;
      if (account === null) {
        userId = await users.insert(claimed.email, acceptance.displayName!.trim(), newPasswordHash);
      } else if (newPasswordHash !== null && !(await users.setFirstPassword(account.id, newPasswordHash))) {
        userId = null;
      }
      if (userId === null) {
        throw new DomainException(DomainErrorCode.Conflict, 'The account for this email changed meanwhile; open the link again', { field: 'password' });
      }
      await invitations.recordAcceptedBy(claimed.id, userId);
      const membershipId = await memberships.insertIfMissing(userId, claimed.allianceId, claimed.organizationId, claimed.role);
      return { ...claimed, userId, membershipId };
    });
    const actor = { userId: accepted.userId, allianceId: accepted.allianceId };
    await this.audit.record(actor, 'invitation.accepted', {
      subjectType: 'invitation',
      subjectId: accepted.id,
      details: { accountCreated: account === null, organizationId: accepted.organizationId, role: accepted.role },
    });
    if (accepted.membershipId !== null) {
      await this.audit.record(actor, 'membership.created', {
        subjectType: 'membership',
        subjectId: accepted.membershipId,
        details: { userId: accepted.userId, organizationId: accepted.organizationId, role: accepted.role, invitationId: accepted.id },
      });
    }
    return this.sessions.signIn(invitation.email, acceptance.password, acceptance.address);
  }

  private async open(token: string): Promise<OpenInvitationRow> {
    const invitation = looksLikeSessionToken(token) ? await this.invitations.findOpen(sessionTokenHash(token)) : null;
    if (invitation === null) throw new DomainException(DomainErrorCode.NotFound, LINK_NOT_OPEN);
    return invitation;
  }
}

function organizationOf(invitation: OpenInvitationRow): InvitationPreview['organization'] {
  return invitation.organizationId === null
    ? null
    : { slug: invitation.organizationSlug!, name: invitation.organizationName!, kind: invitation.organizationKind! };
}
