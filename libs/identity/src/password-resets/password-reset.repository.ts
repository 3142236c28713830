import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';

export interface IssuedPasswordResetRow {
  readonly id: string;
  readonly userId: string;
  readonly expiresAt: Date;
}

export interface ClaimedPasswordResetRow {
  readonly id: string;
  readonly userId: string;
  readonly email: string;
}

/** Password resets are found by the hash of their secret only. */
@Injectable()
export class PasswordResetRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /**
   * A reset for the account with this email, or null when there is none. One statement either
   * way, so a known and an unknown email cost the caller about the same.
   */
  async insertForEmail(email: string, tokenHash: Buffer, minutes: number): Promise<IssuedPasswordResetRow | null> {
    const rows: IssuedPasswordResetRow[] = await this.manager.query(
      `INSERT INTO password_reset (user_id, token_hash, expires_at)
       SELECT id, $2, now() + make_interval(mins => $3) FROM app_user WHERE email = $1
       RETURNING id, user_id AS "userId", expires_at AS "expiresAt"`,
      [email.toLowerCase(), tokenHash, minutes],
    );
    return rows[0] ?? null;
  }

  async insertForUser(userId: string, tokenHash: Buffer, minutes: number): Promise<IssuedPasswordResetRow> {
    const rows: IssuedPasswordResetRow[] = await this.manager.query(
      `INSERT INTO password_reset (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))
       RETURNING id, user_id AS "userId", expires_at AS "expiresAt"`,
      [userId, tokenHash, minutes],
    );
    return rows[0];
  }

  async isOpen(tokenHash: Buffer): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(`SELECT 1 FROM password_reset WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`, [
      tokenHash,
    ]);
    return rows.length > 0;
  }

  /** Marks the reset used if it still is open, in one statement, so a link works once however often it is sent. */
  async claim(tokenHash: Buffer): Promise<ClaimedPasswordResetRow | null> {
    const [rows]: [ClaimedPasswordResetRow[], number] = await this.manager.query(
      `UPDATE password_reset r SET used_at = now()
         FROM app_user u
        WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > now() AND u.id = r.user_id
        RETURNING r.id, r.user_id AS "userId", u.email`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** Closes the user's other open resets: once a password is set, older links must not set another. */
  async closeOpen(userId: string): Promise<void> {
    await this.manager.query(`UPDATE password_reset SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }
}
