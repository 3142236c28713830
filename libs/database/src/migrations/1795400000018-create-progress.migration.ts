import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress to target. Targets: the alliance's goal (unique voters reached by a date) and targets per
 * organization and county. Rollups kept in step with `contact_attempt`: a statement trigger queues
 * each inserted attempt in `progress_pending` (one narrow row, in the writer's transaction, so
 * nothing committed is ever missed), and one rollup job at a time drains it in batches, in the
 * same transaction as its updates (so nothing is counted twice), into:
 * - `progress_reach`: who was attempted, reached (a conversation) and found open to reform, per
 *   scope (the alliance, an anchor's region, an organization), with the voter's county, precinct
 *   and segment frozen at their first attempt: the sets unique counts are kept exact by;
 * - `progress_reach_bucket`: the same per campaign and per channel, where a voter may count in several;
 * - `progress_cell`: the figures per scope, dimension and bucket, read by the dashboard.
 * `progress_reconciliation` keeps what each comparison of rollups with raw counts found.
 */
export class CreateProgress1795400000018 implements MigrationInterface {
  name = 'CreateProgress1795400000018';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Days are counted in the alliance's own zone: an evening phone bank is one day, not two.
    await queryRunner.query(`ALTER TABLE alliance ADD COLUMN reporting_time_zone text NOT NULL DEFAULT 'America/Los_Angeles'`);
    await queryRunner.query(`
      CREATE TABLE progress_target (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        -- neither: the alliance's goal; one of them: an organization's or a county's target
        organization_id uuid REFERENCES organization (id) ON DELETE CASCADE,
        county text COLLATE "C" CHECK (length(county) BETWEEN 1 AND 100),
        voters integer NOT NULL CHECK (voters > 0),
        target_date date NOT NULL,
        updated_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT progress_target_one_scope CHECK (organization_id IS NULL OR county IS NULL)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX progress_target_scope_unique ON progress_target (alliance_id, COALESCE(organization_id::text, ''), COALESCE(county, ''))`,
    );

    await queryRunner.query(`
      CREATE TABLE progress_pending (
        contact_attempt_id uuid PRIMARY KEY,
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX progress_pending_queued_idx ON progress_pending (queued_at)`);
    // SECURITY DEFINER: the api writes attempts as its own role, which has no business with the queue.
    await queryRunner.query(`
      CREATE FUNCTION crossroads_queue_progress() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        INSERT INTO progress_pending (contact_attempt_id) SELECT id FROM inserted_attempts;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER contact_attempt_progress AFTER INSERT ON contact_attempt
        REFERENCING NEW TABLE AS inserted_attempts FOR EACH STATEMENT EXECUTE FUNCTION crossroads_queue_progress()`);

    await queryRunner.query(`CREATE TYPE progress_scope AS ENUM ('alliance', 'region', 'organization')`);
    await queryRunner.query(`
      CREATE TABLE progress_reach (
        scope_kind progress_scope NOT NULL,
        -- the alliance, the region's anchor or the organization
        scope_id uuid NOT NULL,
        voter_id bigint NOT NULL,
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        county text COLLATE "C",
        precinct text COLLATE "C",
        segment_key text COLLATE "C",
        first_attempt_at timestamptz NOT NULL,
        reached_at timestamptz,
        open_at timestamptz,
        -- alliance scope only: how many organizations reached the voter, and which when only one did
        reaching_organizations smallint NOT NULL DEFAULT 0,
        sole_organization_id uuid,
        PRIMARY KEY (scope_kind, scope_id, voter_id)
      )`);
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
      CREATE TABLE progress_cell (
        scope_kind progress_scope NOT NULL,
        scope_id uuid NOT NULL,
        dimension text NOT NULL CHECK (dimension IN ('total', 'day', 'county', 'precinct', 'segment', 'campaign', 'channel')),
        -- '' for the total and for an unknown county, precinct or segment; a day as YYYY-MM-DD
        bucket text COLLATE "C" NOT NULL,
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        attempts bigint NOT NULL DEFAULT 0,
        conversations bigint NOT NULL DEFAULT 0,
        opt_outs bigint NOT NULL DEFAULT 0,
        -- unique voters; by day, those whose first attempt, conversation or open answer was that day
        voters_attempted bigint NOT NULL DEFAULT 0,
        voters_reached bigint NOT NULL DEFAULT 0,
        open_to_reform bigint NOT NULL DEFAULT 0,
        -- an organization's total only: voters it reached that no other organization has
        exclusive_reached bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (scope_kind, scope_id, dimension, bucket)
      )`);
    await queryRunner.query(`
      CREATE TABLE progress_reconciliation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        cells_checked integer NOT NULL,
        drifted_cells integer NOT NULL,
        -- the first drifted cells: scope, dimension, bucket, and each figure stored and counted
        drift jsonb NOT NULL,
        rebuilt boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query(`CREATE INDEX progress_reconciliation_alliance_idx ON progress_reconciliation (alliance_id, started_at DESC)`);

    // The api reads figures and sets targets; the rollup job runs as the owner. Access to figures
    // is decided by scope in the service (a member reads only its own scope's cells).
    await queryRunner.query(`GRANT SELECT ON progress_cell, progress_reconciliation TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON progress_target TO crossroads_api`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE progress_reconciliation, progress_cell, progress_reach_bucket, progress_reach`);
    await queryRunner.query(`DROP TYPE progress_scope`);
    await queryRunner.query(`DROP TRIGGER contact_attempt_progress ON contact_attempt`);
    await queryRunner.query(`DROP FUNCTION crossroads_queue_progress()`);
    await queryRunner.query(`DROP TABLE progress_pending, progress_target`);
    await queryRunner.query(`ALTER TABLE alliance DROP COLUMN reporting_time_zone`);
  }
}
