import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The progress dashboard's reads through the api. The api says how many attempts and opt-outs wait
 * to be counted (a number, no row), and the rollups' cells get the row security every other table
 * of voter work has: the policy layer decides which scopes a reader may open, and the database
 * holds to the same rule on its own, so a member's transaction reads only its organization's cells
 * and an anchor's its region's and its members'.
 */
export class ScopeProgressReads1795400000020 implements MigrationInterface {
  name = 'ScopeProgressReads1795400000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT SELECT ON progress_pending, progress_pending_opt_out TO crossroads_api`);
    const alliance = `alliance_id = (SELECT crossroads_scope_alliance())`;
    const ownScopes = `${alliance} AND scope_kind IN ('organization', 'region') AND scope_id = ANY ((SELECT crossroads_scope_organizations())::uuid[])`;
    await queryRunner.query(`ALTER TABLE progress_cell ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY progress_cell_alliance_reader ON progress_cell FOR SELECT TO crossroads_alliance_reader USING (${alliance})`);
    await queryRunner.query(
      `CREATE POLICY progress_cell_organization_reader ON progress_cell FOR SELECT TO crossroads_organization_reader USING (${ownScopes})`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY progress_cell_organization_reader ON progress_cell`);
    await queryRunner.query(`DROP POLICY progress_cell_alliance_reader ON progress_cell`);
    await queryRunner.query(`ALTER TABLE progress_cell DISABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`REVOKE SELECT ON progress_pending, progress_pending_opt_out FROM crossroads_api`);
  }
}
