import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a volunteer in the dialer was last heard from (their console asks for its card every few
 * seconds while ready). A volunteer who closed the laptop while ready would otherwise be handed
 * voters, who would hear nobody: the tick takes a volunteer silent for two minutes out of the dialer.
 */
export class AddDialerSeenAt1795400000016 implements MigrationInterface {
  name = 'AddDialerSeenAt1795400000016';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE calling_session ADD COLUMN dialer_seen_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE calling_session DROP COLUMN dialer_seen_at`);
  }
}
