import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import type { SignedInMembership } from './signed-in-user';

export interface SignInCandidate {
  readonly id: string;
  readonly passwordHash: string | null;
}

export interface OpenSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly expiresAt: Date;
}

/** Every query of sign-in and sessions. Sessions are found by the hash of their secret only. */
@Injectable()
export class SessionRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  async findSignInCandidate(email: string): Promise<SignInCandidate | null> {
    const rows: Array<{ id: string; password_hash: string | null }> = await this.manager.query('SELECT id, password_hash FROM app_user WHERE email = $1', [
      email.toLowerCase(),
    ]);
    return rows.length === 0 ? null : { id: rows[0].id, passwordHash: rows[0].password_hash };
  }

  async open(userId: string, tokenHash: Buffer, hours: number): Promise<string> {
    const rows: Array<{ id: string }> = await this.manager.query(
      `INSERT INTO user_session (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3)) RETURNING id`,
      [userId, tokenHash, hours],
    );
    return rows[0].id;
  }

  /**
   * The session behind a token hash, if it is neither expired nor revoked, with the user's
   * memberships: every authenticated request asks, so it is one statement.
   */
  async findOpen(tokenHash: Buffer): Promise<(OpenSession & { readonly memberships: SignedInMembership[] }) | null> {
    const rows: Array<{ session_id: string; user_id: string; email: string; display_name: string; expires_at: Date; memberships: SignedInMembership[] }> =
      await this.manager.query(
        `SELECT s.id AS session_id, s.user_id, u.email, u.display_name, s.expires_at,
                COALESCE((SELECT json_agg(json_build_object('allianceId', m.alliance_id, 'allianceSlug', a.slug, 'organizationId', m.organization_id,
                                                            'organizationSlug', o.slug, 'role', m.role)
                                          ORDER BY a.slug, o.slug NULLS FIRST, m.role)
                            FROM membership m
                            JOIN alliance a ON a.id = m.alliance_id
                            LEFT JOIN organization o ON o.id = m.organization_id
                           WHERE m.user_id = s.user_id), '[]') AS memberships
           FROM user_session s JOIN app_user u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [tokenHash],
      );
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      email: row.email,
      displayName: row.display_name,
      expiresAt: row.expires_at,
      memberships: row.memberships,
    };
  }

  /** Ends a session for good; returns whether it was open. */
  async revoke(sessionId: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.manager.query('UPDATE user_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
      sessionId,
    ]);
    return affected > 0;
  }
}
