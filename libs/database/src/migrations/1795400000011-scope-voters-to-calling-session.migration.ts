import type { MigrationInterface, QueryRunner } from 'typeorm';

const ALLIANCE = `alliance_id = (SELECT crossroads_scope_alliance())`;
const ORGANIZATIONS = `((SELECT crossroads_scope_organizations())::uuid[])`;
const REGION = `county = ANY ((SELECT crossroads_scope_counties())::text[])`;
const TURFED = `id IN (SELECT tav.voter_id FROM turf_assignment_voter tav WHERE tav.organization_id = ANY ${ORGANIZATIONS})`;
// The household a calling session holds on its organization's call list (row security on
// campaign_contact keeps the lookup inside the organization). The call list is cut from the
// organization's turf, so this widens nothing; it lets a one-voter read stop before the turf arm,
// which PostgreSQL runs as a hash of every voter the organization holds, built per statement.
const LEASED = `((SELECT crossroads_scope_calling_session()) IS NOT NULL AND EXISTS (
    SELECT 1 FROM campaign_contact cc
     WHERE cc.leased_session_id = (SELECT crossroads_scope_calling_session())
       AND cc.alliance_id = voter.alliance_id AND cc.household_voter_ids @> ARRAY[voter.id]))`;

/**
 * A calling session's transaction declares the session (`crossroads.calling_session_id`), and an
 * organization reader's voter policy first asks whether the voter is in the household that session
 * holds. OR arms run in order, so the card, the segment and the evidence of the leased voter cost
 * an index probe each instead of a hash over the organization's turf (3–10 ms a statement at
 * 5,000–20,000 turf voters, measured by `bench/console-load --diagnose`). Reads without the setting
 * see exactly what they saw before.
 */
export class ScopeVotersToCallingSession1795400000011 implements MigrationInterface {
  name = 'ScopeVotersToCallingSession1795400000011';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Also what renewing, releasing and the policy's probe look a session's lease up by.
    await queryRunner.query(`CREATE INDEX campaign_contact_leased_session_idx ON campaign_contact (leased_session_id) WHERE leased_session_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION crossroads_scope_calling_session() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT NULLIF(current_setting('crossroads.calling_session_id', true), '')::uuid $$`);
    await queryRunner.query(`DROP POLICY voter_organization_reader ON voter`);
    await queryRunner.query(
      `CREATE POLICY voter_organization_reader ON voter FOR SELECT TO crossroads_organization_reader USING (${ALLIANCE} AND (${REGION} OR ${LEASED} OR ${TURFED}))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY voter_organization_reader ON voter`);
    await queryRunner.query(
      `CREATE POLICY voter_organization_reader ON voter FOR SELECT TO crossroads_organization_reader USING (${ALLIANCE} AND (${REGION} OR ${TURFED}))`,
    );
    await queryRunner.query(`DROP FUNCTION crossroads_scope_calling_session()`);
    await queryRunner.query(`DROP INDEX campaign_contact_leased_session_idx`);
  }
}
