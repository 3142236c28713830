import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { DomainErrorCode, DomainException } from '@app/common';
import { AppConfig } from '@app/config';
import { AuditLogService } from '../audit/audit-log.service';
import { ARGON2ID_PARAMETERS } from '../passwords/argon2id-parameters.constant';
import { SessionRepository } from './session.repository';
import { csrfTokenOf, looksLikeSessionToken, newSessionToken, sessionTokenHash } from './session-token.util';
import type { SignedInUser } from './signed-in-user';
import { SignInRateLimiter } from './sign-in-rate.limiter';

export interface NewSession {
  /** The secret for the cookie; never stored. */
  readonly token: string;
  readonly csrfToken: string;
  readonly user: SignedInUser;
}

const WRONG_CREDENTIALS = 'That email and password do not match';

/** Sign-in, the session behind a token, and sign-out. */
@Injectable()
export class SessionService {
  /** Verified against when the email is unknown, so a miss takes as long as a wrong password; made on first use. */
  private decoyHash: Promise<string> | null = null;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly limiter: SignInRateLimiter,
    private readonly config: AppConfig,
    private readonly audit: AuditLogService,
  ) {}

  async signIn(email: string, password: string, address: string): Promise<NewSession> {
    await this.limiter.admit(email, address);
    const candidate = await this.sessions.findSignInCandidate(email);
    const matches = await verify(candidate?.passwordHash ?? (await this.decoy()), password).catch(() => false);
    if (candidate === null || candidate.passwordHash === null || !matches) {
      await this.limiter.recordFailure(email);
      // A known account's failures are its owner's and its admins' business; unknown emails are not recorded.
      if (candidate !== null) await this.audit.record({ userId: candidate.id, allianceId: null }, 'session.sign_in_failed');
      throw new DomainException(DomainErrorCode.Unauthenticated, WRONG_CREDENTIALS);
    }
    await this.limiter.recordSuccess(email);
    const token = newSessionToken();
    await this.sessions.open(candidate.id, sessionTokenHash(token), this.config.sessions.hours);
    const user = await this.authenticate(token);
    if (user === null) throw new Error('a session just opened could not be read back');
    await this.audit.record({ userId: user.userId, allianceId: null }, 'session.signed_in', { subjectType: 'session', subjectId: user.sessionId });
    return { token, csrfToken: csrfTokenOf(token), user };
  }

  /** The user behind a session token, or null when the token is malformed, unknown, expired or revoked. */
  async authenticate(token: string): Promise<SignedInUser | null> {
    if (!looksLikeSessionToken(token)) return null;
    return this.sessions.findOpen(sessionTokenHash(token));
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hash(newSessionToken(), ARGON2ID_PARAMETERS);
    return this.decoyHash;
  }

  async signOut(user: SignedInUser): Promise<void> {
    await this.sessions.revoke(user.sessionId);
    await this.audit.record({ userId: user.userId, allianceId: null }, 'session.signed_out', { subjectType: 'session', subjectId: user.sessionId });
  }
}
