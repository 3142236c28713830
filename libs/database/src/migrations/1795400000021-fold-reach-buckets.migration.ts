import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The campaigns and channels a voter was attempted, reached and found open in, per scope, move from
 * `progress_reach_bucket` (a row per scope, bucket and voter: six index probes per counted attempt)
 * into three sorted arrays on the voter's `progress_reach` row, which the rollup reads anyway. A
 * bucket is named `campaign:<id>` or `channel:<name>`. The rollup then probes one row per scope and
 * voter, and the rollups take less than half the room.
 */
export class FoldReachBuckets1795400000021 implements MigrationInterface {
  name = 'FoldReachBuckets1795400000021';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE progress_reach
        ADD COLUMN attempted_buckets text[] COLLATE "C" NOT NULL DEFAULT '{}',
        ADD COLUMN reached_buckets text[] COLLATE "C" NOT NULL DEFAULT '{}',
        ADD COLUMN open_buckets text[] COLLATE "C" NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      UPDATE progress_reach r
         SET attempted_buckets = b.attempted, reached_buckets = b.reached, open_buckets = b.open
        FROM (SELECT scope_kind, scope_id, voter_id,
                     array_agg(dimension || ':' || bucket ORDER BY dimension || ':' || bucket) AS attempted,
                     COALESCE(array_agg(dimension || ':' || bucket ORDER BY dimension || ':' || bucket) FILTER (WHERE reached), '{}') AS reached,
                     COALESCE(array_agg(dimension || ':' || bucket ORDER BY dimension || ':' || bucket) FILTER (WHERE open), '{}') AS open
                FROM progress_reach_bucket GROUP BY scope_kind, scope_id, voter_id) b
       WHERE r.scope_kind = b.scope_kind AND r.scope_id = b.scope_id AND r.voter_id = b.voter_id`);
    await queryRunner.query(`DROP TABLE progress_reach_bucket`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE progress_reach_bucket (
        scope_kind progress_scope NOT NULL,
        scope_id uuid NOT NULL,
        dimension text NOT NULL CHECK (dimension IN ('campaign', 'channel')),
        bucket text COLLATE "C" NOT NULL,
        voter_id bigint NOT NULL,
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        reached boolean NOT NULL,
        open boolean NOT NULL,
        PRIMARY KEY (scope_kind, scope_id, dimension, bucket, voter_id)
      )`);
    await queryRunner.query(`
      INSERT INTO progress_reach_bucket (scope_kind, scope_id, dimension, bucket, voter_id, alliance_id, reached, open)
      SELECT r.scope_kind, r.scope_id, split_part(k.name, ':', 1), substr(k.name, strpos(k.name, ':') + 1), r.voter_id, r.alliance_id,
             k.name = ANY (r.reached_buckets), k.name = ANY (r.open_buckets)
        FROM progress_reach r CROSS JOIN LATERAL unnest(r.attempted_buckets) k(name)`);
    await queryRunner.query(`ALTER TABLE progress_reach DROP COLUMN attempted_buckets, DROP COLUMN reached_buckets, DROP COLUMN open_buckets`);
  }
}
