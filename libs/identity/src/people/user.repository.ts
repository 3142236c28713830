import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { postgresErrorOf, UNIQUE_VIOLATION } from './postgres-error.util';

export interface UserRow {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string | null;
}

/** Queries on people's accounts (app_user) and, for a password change, their sessions. Emails are stored lower-cased. */
@Injectable()
export class UserRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  async findByEmail(email: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.manager.query(
      `SELECT id, email, display_name AS "displayName", password_hash AS "passwordHash" FROM app_user WHERE email = $1`,
      [email.toLowerCase()],
    );
    return rows[0] ?? null;
  }

  /** The new user's id, or null when the email was taken meanwhile. */
  async insert(email: string, displayName: string, passwordHash: string | null): Promise<string | null> {
    try {
      const rows: Array<{ id: string }> = await this.manager.query(
        `INSERT INTO app_user (email, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
        [email.toLowerCase(), displayName, passwordHash],
      );
      return rows[0].id;
    } catch (error) {
      if (postgresErrorOf(error)?.code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  async update(userId: string, changes: { readonly displayName?: string; readonly passwordHash?: string }): Promise<void> {
    await this.manager.query(
      `UPDATE app_user SET display_name = COALESCE($2, display_name), password_hash = COALESCE($3, password_hash), updated_at = now() WHERE id = $1`,
      [userId, changes.displayName ?? null, changes.passwordHash ?? null],
    );
  }

  /** Sets a first password; false when the account has one already (set meanwhile by someone else). */
  async setFirstPassword(userId: string, passwordHash: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.manager.query(
      `UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1 AND password_hash IS NULL`,
      [userId, passwordHash],
    );
    return affected > 0;
  }

  /** Ends every open session of the user; returns how many there were. */
  async revokeOpenSessions(userId: string): Promise<number> {
    const [, affected]: [unknown, number] = await this.manager.query(
      `UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [userId],
    );
    return affected;
  }
}
