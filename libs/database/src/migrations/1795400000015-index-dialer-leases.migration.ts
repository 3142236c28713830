import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the running dialer needs. Call-list rows the dialer itself holds (leased, no volunteer
 * yet): the pacing sweep finds every pool whose ended lines still wait to be settled (their
 * attempt written, the voter let go) from them each second, and a pool's tick settles its own;
 * without an index both would scan the list. And a volunteer's `leaving` state: they asked to stop
 * while lines dialed with them counted were still ringing. The pacer no longer dials for them,
 * but a person who answers one of those lines is still theirs rather than abandoned; once no line
 * is left, the tick takes them out of the dialer. And an index for the 30-day abandonment record every tick reads.
 */
export class IndexDialerLeases1795400000015 implements MigrationInterface {
  name = 'IndexDialerLeases1795400000015';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX campaign_contact_dialer_lease_idx ON campaign_contact (campaign_id, organization_id) WHERE lease_id IS NOT NULL AND leased_session_id IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE calling_session DROP CONSTRAINT calling_session_dialer_state_check`);
    await queryRunner.query(
      `ALTER TABLE calling_session ADD CONSTRAINT calling_session_dialer_state_check CHECK (dialer_state IN ('ready', 'talking', 'wrap-up', 'leaving'))`,
    );
    // Every tick reads its campaign's 30-day record: live answers only, a tenth of the calls or less.
    await queryRunner.query(`CREATE INDEX call_live_answer_idx ON call (campaign_id, created_at) WHERE answered_by = 'human' OR abandoned_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE calling_session SET dialer_state = NULL, dialer_state_since = NULL WHERE dialer_state = 'leaving'`);
    await queryRunner.query(`ALTER TABLE calling_session DROP CONSTRAINT calling_session_dialer_state_check`);
    await queryRunner.query(
      `ALTER TABLE calling_session ADD CONSTRAINT calling_session_dialer_state_check CHECK (dialer_state IN ('ready', 'talking', 'wrap-up'))`,
    );
    await queryRunner.query(`DROP INDEX call_live_answer_idx`);
    await queryRunner.query(`DROP INDEX campaign_contact_dialer_lease_idx`);
  }
}
