import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in sessions. Only a SHA-256 of each session's secret is stored, so a copy of this table
 * (a backup, a leaked dump) signs nobody in. A session ends when it expires or is revoked; rows
 * are kept for the audit trail rather than deleted on sign-out.
 */
export class CreateUserSession1795400000005 implements MigrationInterface {
  name = 'CreateUserSession1795400000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE user_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        CONSTRAINT user_session_expiry_check CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(`CREATE INDEX user_session_open_by_user_idx ON user_session (user_id) WHERE revoked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE user_session`);
  }
}
