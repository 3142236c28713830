import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A turf's voters carry their county and precinct from the moment it is materialized, so a split
 * groups and orders the turf's own rows instead of looking up each voter in the voter table (a
 * county-sized turf is ~100k random index probes into a million-row partition). A materialized turf
 * is a snapshot anyway: a later import moving a voter does not move them between parts.
 */
export class AddTurfVoterPlace1795400000008 implements MigrationInterface {
  name = 'AddTurfVoterPlace1795400000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE turf_voter ADD COLUMN county text COLLATE "C", ADD COLUMN precinct text COLLATE "C"`);
    await queryRunner.query(`
      UPDATE turf_voter tv SET county = v.county, precinct = v.precinct
        FROM voter v WHERE v.alliance_id = tv.alliance_id AND v.id = tv.voter_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE turf_voter DROP COLUMN county, DROP COLUMN precinct`);
  }
}
