import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations (a single-use link that makes its holder a member with one role) and password
 * resets (a single-use link that sets a new password). Like sessions, only a SHA-256 of each
 * link's secret is stored, so a copy of these tables lets nobody in. A link is used by stamping
 * it in the same statement that checks it is still open, so two redemptions cannot both succeed.
 * Used and expired rows are kept: they are the record of who joined how.
 */
export class CreateInvitationAndPasswordReset1795400000007 implements MigrationInterface {
  name = 'CreateInvitationAndPasswordReset1795400000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        -- NULL for the alliance-wide roles
        organization_id uuid,
        role membership_role NOT NULL,
        email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$' AND length(email) <= 320),
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        invited_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        CONSTRAINT invitation_organization_fk FOREIGN KEY (alliance_id, organization_id)
          REFERENCES organization (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT invitation_scope_check CHECK ((organization_id IS NULL) = (role IN ('alliance_admin', 'data_lead'))),
        CONSTRAINT invitation_expiry_check CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(`CREATE INDEX invitation_alliance_created_idx ON invitation (alliance_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX invitation_organization_idx ON invitation (organization_id) WHERE organization_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE password_reset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CONSTRAINT password_reset_expiry_check CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(`CREATE INDEX password_reset_open_by_user_idx ON password_reset (user_id) WHERE used_at IS NULL`);
    // No DELETE: links are used or left to expire, never erased.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON invitation, password_reset TO crossroads_api`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE password_reset`);
    await queryRunner.query(`DROP TABLE invitation`);
  }
}
