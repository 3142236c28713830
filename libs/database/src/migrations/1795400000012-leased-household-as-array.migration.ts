import type { MigrationInterface, QueryRunner } from 'typeorm';

const ALLIANCE = `alliance_id = (SELECT crossroads_scope_alliance())`;
const ORGANIZATIONS = `((SELECT crossroads_scope_organizations())::uuid[])`;
const REGION = `county = ANY ((SELECT crossroads_scope_counties())::text[])`;
const TURFED = `id IN (SELECT tav.voter_id FROM turf_assignment_voter tav WHERE tav.organization_id = ANY ${ORGANIZATIONS})`;
const LEASED_CORRELATED = `((SELECT crossroads_scope_calling_session()) IS NOT NULL AND EXISTS (
    SELECT 1 FROM campaign_contact cc
     WHERE cc.leased_session_id = (SELECT crossroads_scope_calling_session())
       AND cc.alliance_id = voter.alliance_id AND cc.household_voter_ids @> ARRAY[voter.id]))`;
// Read once per statement (an InitPlan): the voter ids of the household the calling session holds,
// empty without a session. Row security on campaign_contact keeps it inside the organization.
const LEASED_ONCE = `id = ANY ((SELECT COALESCE(array_agg(household.voter_id), '{}')
    FROM campaign_contact cc CROSS JOIN LATERAL unnest(cc.household_voter_ids) AS household (voter_id)
   WHERE cc.leased_session_id = (SELECT crossroads_scope_calling_session()) AND cc.alliance_id = (SELECT crossroads_scope_alliance()))::bigint[])`;

/**
 * 1795400000011's arm for the leased household was a subquery per row. PostgreSQL costs every arm
 * of an OR for every row, so an anchor's region scans, whose first arm is true for every row, were
 * planned as if each row ran that subquery: `bench/turf`'s anchor searches went from 0.4 to 9.5
 * times their cost without row security. Read once per statement as an array, the arm costs a
 * comparison per row, and a one-voter read still stops before the turf hash.
 */
export class LeasedHouseholdAsArray1795400000012 implements MigrationInterface {
  name = 'LeasedHouseholdAsArray1795400000012';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY voter_organization_reader ON voter`);
    await queryRunner.query(
      `CREATE POLICY voter_organization_reader ON voter FOR SELECT TO crossroads_organization_reader USING (${ALLIANCE} AND (${REGION} OR ${LEASED_ONCE} OR ${TURFED}))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY voter_organization_reader ON voter`);
    await queryRunner.query(
      `CREATE POLICY voter_organization_reader ON voter FOR SELECT TO crossroads_organization_reader USING (${ALLIANCE} AND (${REGION} OR ${LEASED_CORRELATED} OR ${TURFED}))`,
    );
  }
}
