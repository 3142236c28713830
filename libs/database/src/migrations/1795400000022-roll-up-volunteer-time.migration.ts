import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Volunteer time on the phones, rolled up. Conversations per volunteer hour read every calling
 * session of the alliance on each dashboard call (88,000 sessions at ten million attempts: the
 * slowest part of the summary). An ended session's time no longer changes, so it is added up once,
 * by a trigger, per organization and campaign; only open sessions are still timed live (a partial
 * index finds them). Seconds are numeric, so taking a session out and putting it back is exact.
 */
export class RollUpVolunteerTime1795400000022 implements MigrationInterface {
  name = 'RollUpVolunteerTime1795400000022';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE progress_volunteer_time (
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        seconds numeric NOT NULL DEFAULT 0,
        sessions integer NOT NULL DEFAULT 0,
        PRIMARY KEY (alliance_id, organization_id, campaign_id)
      )`);
    // An ended session's seconds, as the dashboard defines them (its pauses are folded in when it ends).
    const seconds = (row: 'OLD' | 'NEW') => `GREATEST(0, extract(epoch FROM ${row}.ended_at - ${row}.started_at) - ${row}.paused_seconds)`;
    const add = (row: 'OLD' | 'NEW', sign: '+' | '-') => `
        INSERT INTO progress_volunteer_time AS t (alliance_id, organization_id, campaign_id, seconds, sessions)
        VALUES (${row}.alliance_id, ${row}.organization_id, ${row}.campaign_id, ${sign}${seconds(row)}, ${sign}1)
        ON CONFLICT (alliance_id, organization_id, campaign_id) DO UPDATE SET seconds = t.seconds + EXCLUDED.seconds, sessions = t.sessions + EXCLUDED.sessions;`;
    // SECURITY DEFINER: the api ends sessions as its own role, which only reads the rollup.
    await queryRunner.query(`
      CREATE FUNCTION crossroads_roll_up_volunteer_time() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.ended_at IS NOT NULL THEN ${add('OLD', '-')}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.ended_at IS NOT NULL THEN ${add('NEW', '+')}
        END IF;
        RETURN NULL;
      END $$`);
    // Heartbeats and state changes of open sessions (most writes) fire nothing.
    const counted = `alliance_id, organization_id, campaign_id, started_at, ended_at, paused_seconds`;
    await queryRunner.query(
      `CREATE TRIGGER calling_session_volunteer_time_insert AFTER INSERT ON calling_session FOR EACH ROW WHEN (NEW.ended_at IS NOT NULL)
       EXECUTE FUNCTION crossroads_roll_up_volunteer_time()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER calling_session_volunteer_time_update AFTER UPDATE ON calling_session FOR EACH ROW
       WHEN ((OLD.ended_at IS NOT NULL OR NEW.ended_at IS NOT NULL) AND (${prefixed('OLD', counted)}) IS DISTINCT FROM (${prefixed('NEW', counted)}))
       EXECUTE FUNCTION crossroads_roll_up_volunteer_time()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER calling_session_volunteer_time_delete AFTER DELETE ON calling_session FOR EACH ROW WHEN (OLD.ended_at IS NOT NULL)
       EXECUTE FUNCTION crossroads_roll_up_volunteer_time()`,
    );
    await queryRunner.query(`
      INSERT INTO progress_volunteer_time (alliance_id, organization_id, campaign_id, seconds, sessions)
      SELECT alliance_id, organization_id, campaign_id, sum(GREATEST(0, extract(epoch FROM ended_at - started_at) - paused_seconds)), count(*)
        FROM calling_session WHERE ended_at IS NOT NULL GROUP BY 1, 2, 3`);
    await queryRunner.query(`CREATE INDEX calling_session_open_alliance_idx ON calling_session (alliance_id) WHERE ended_at IS NULL`);

    await queryRunner.query(`GRANT SELECT ON progress_volunteer_time TO crossroads_api`);
    const alliance = `alliance_id = (SELECT crossroads_scope_alliance())`;
    const ownOrganizations = `${alliance} AND organization_id = ANY ((SELECT crossroads_scope_organizations())::uuid[])`;
    await queryRunner.query(`ALTER TABLE progress_volunteer_time ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY progress_volunteer_time_alliance_reader ON progress_volunteer_time FOR SELECT TO crossroads_alliance_reader USING (${alliance})`,
    );
    await queryRunner.query(
      `CREATE POLICY progress_volunteer_time_organization_reader ON progress_volunteer_time FOR SELECT TO crossroads_organization_reader USING (${ownOrganizations})`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX calling_session_open_alliance_idx`);
    await queryRunner.query(`DROP TRIGGER calling_session_volunteer_time_delete ON calling_session`);
    await queryRunner.query(`DROP TRIGGER calling_session_volunteer_time_update ON calling_session`);
    await queryRunner.query(`DROP TRIGGER calling_session_volunteer_time_insert ON calling_session`);
    await queryRunner.query(`DROP FUNCTION crossroads_roll_up_volunteer_time()`);
    await queryRunner.query(`DROP TABLE progress_volunteer_time`);
  }
}

function prefixed(row: 'OLD' | 'NEW', columns: string): string {
  return columns
    .split(', ')
    .map((column) => `${row}.${column}`)
    .join(', ');
}
