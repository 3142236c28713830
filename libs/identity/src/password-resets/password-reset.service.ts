import { Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { DomainErrorCode, DomainException } from '@app/common';
import { AuditLogService } from '../audit/audit-log.service';
import { ConsoleLinkFactory } from '../notifications/console-link.factory';
import { Notifier } from '../notifications/notifier';
import { ARGON2ID_PARAMETERS } from '../passwords/argon2id-parameters.constant';
import { AddressAttemptGate } from '../people/address-attempt.gate';
import { IdentityTransactionRunner } from '../people/identity-transaction.runner';
import { looksLikeSessionToken, newSessionToken, sessionTokenHash } from '../sessions/session-token.util';
import { SignInRateLimiter } from '../sessions/sign-in-rate.limiter';
import { PasswordResetRepository } from './password-reset.repository';
import { MINIMUM_PASSWORD_LENGTH } from './password-rules.constant';

export const PASSWORD_RESET_MINUTES = 60;

export interface IssuedPasswordReset {
  readonly id: string;
  readonly expiresAt: Date;
}

const LINK_NOT_OPEN = 'This password reset link is unknown, already used or expired; ask for a new one';

/**
 * Forgotten passwords: a single-use link, valid for an hour, sent through the notifier. Asking
 * never tells whether the email has an account. Setting the new password uses the link up, voids
 * the account's other links and signs out every session the account had.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly resets: PasswordResetRepository,
    private readonly transactions: IdentityTransactionRunner,
    private readonly gate: AddressAttemptGate,
    private readonly limiter: SignInRateLimiter,
    private readonly notifier: Notifier,
    private readonly links: ConsoleLinkFactory,
    private readonly audit: AuditLogService,
  ) {}

  /** Sends a link when the email has an account; answers the same, in about the same time, when it has none. */
  async request(email: string, address: string): Promise<void> {
    await this.gate.admit(address);
    const token = newSessionToken();
    const issued = await this.resets.insertForEmail(email.trim(), sessionTokenHash(token), PASSWORD_RESET_MINUTES);
    if (issued === null) return;
    await this.deliver(issued.id, email.trim(), token, issued.expiresAt);
    await this.audit.record({ userId: issued.userId, allianceId: null }, 'password.reset_requested', { subjectType: 'password_reset', subjectId: issued.id });
  }

  /** For an operator (the command line): a link for a known account, through the same notifier. */
  async issueFor(userId: string, email: string): Promise<IssuedPasswordReset> {
    const token = newSessionToken();
    const issued = await this.resets.insertForUser(userId, sessionTokenHash(token), PASSWORD_RESET_MINUTES);
    await this.deliver(issued.id, email, token, issued.expiresAt);
    await this.audit.record({ userId: null, allianceId: null }, 'password.reset_issued', {
      subjectType: 'password_reset',
      subjectId: issued.id,
      details: { userId },
    });
    return { id: issued.id, expiresAt: issued.expiresAt };
  }

  async complete(token: string, password: string, address: string): Promise<void> {
    await this.gate.admit(address);
    // Checked before hashing, so a made-up link costs no argon2 work.
    if (!looksLikeSessionToken(token) || !(await this.resets.isOpen(sessionTokenHash(token))))
      throw new DomainException(DomainErrorCode.NotFound, LINK_NOT_OPEN);
    if (password.length < MINIMUM_PASSWORD_LENGTH) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `password must be at least ${MINIMUM_PASSWORD_LENGTH} characters`, { field: 'password' });
    }
    const passwordHash = await hash(password, ARGON2ID_PARAMETERS);
    const { reset, sessionsRevoked } = await this.transactions.run(async ({ passwordResets, users }) => {
      const claimed = await passwordResets.claim(sessionTokenHash(token));
      if (claimed === null) throw new DomainException(DomainErrorCode.NotFound, LINK_NOT_OPEN);
      await users.update(claimed.userId, { passwordHash });
      await passwordResets.closeOpen(claimed.userId);
      return { reset: claimed, sessionsRevoked: await users.revokeOpenSessions(claimed.userId) };
    });
    // Someone locked out of sign-in by failed attempts is let back in with the new password. The
    // password is set either way: if Redis cannot hear it now, the lock lifts by itself with its window.
    await this.limiter.recordSuccess(reset.email).catch(() => undefined);
    await this.audit.record({ userId: reset.userId, allianceId: null }, 'password.reset', {
      subjectType: 'app_user',
      subjectId: reset.userId,
      details: { passwordResetId: reset.id, sessionsRevoked },
    });
  }

  private deliver(id: string, email: string, token: string, expiresAt: Date): Promise<void> {
    return this.notifier.deliver({ kind: 'password_reset', subjectId: id, recipientEmail: email, link: this.links.passwordReset(token), expiresAt });
  }
}
