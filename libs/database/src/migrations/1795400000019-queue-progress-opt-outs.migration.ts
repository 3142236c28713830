import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text opt-outs in the progress rollups. A STOP (or a carrier's 21610) writes no contact attempt,
 * only an `opt_out_event`, so the attempts' queue never sees it: a statement trigger queues each
 * such event in `progress_pending_opt_out`, in the writer's transaction, and the rollup drains it
 * beside `progress_pending`, under the same lock, adding it to `opt_outs`.
 */
export class QueueProgressOptOuts1795400000019 implements MigrationInterface {
  name = 'QueueProgressOptOuts1795400000019';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE progress_pending_opt_out (
        opt_out_event_id bigint PRIMARY KEY,
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX progress_pending_opt_out_queued_idx ON progress_pending_opt_out (queued_at)`);
    // SECURITY DEFINER: the api records opt-outs as its own role, which has no business with the queue.
    // An admin's or a texter's entry and an opt-in are not the voter opting out: they are not queued.
    await queryRunner.query(`
      CREATE FUNCTION crossroads_queue_progress_opt_out() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        INSERT INTO progress_pending_opt_out (opt_out_event_id)
          SELECT id FROM inserted_events WHERE action = 'opt_out' AND source IN ('keyword', 'carrier');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER opt_out_event_progress AFTER INSERT ON opt_out_event
        REFERENCING NEW TABLE AS inserted_events FOR EACH STATEMENT EXECUTE FUNCTION crossroads_queue_progress_opt_out()`);
    // A STOP takes effect as its webhook arrives, before its message is filed: its event names the
    // message only later. The rollup had nothing to count it in until then, so linking queues it again.
    await queryRunner.query(`
      CREATE FUNCTION crossroads_requeue_progress_opt_out() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        INSERT INTO progress_pending_opt_out (opt_out_event_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER opt_out_event_progress_linked AFTER UPDATE OF message_id ON opt_out_event FOR EACH ROW
        WHEN (OLD.message_id IS NULL AND NEW.message_id IS NOT NULL AND NEW.action = 'opt_out' AND NEW.source IN ('keyword', 'carrier'))
        EXECUTE FUNCTION crossroads_requeue_progress_opt_out()`);
    // After the trigger, whose lock holds back new events until this commits: every event is queued
    // exactly once, by this or by the trigger, and the rollups catch up on the opt-outs already kept.
    await queryRunner.query(`
      INSERT INTO progress_pending_opt_out (opt_out_event_id)
      SELECT id FROM opt_out_event WHERE action = 'opt_out' AND source IN ('keyword', 'carrier') ORDER BY id`);

    // The rollup finds the counted opt-outs of a voter the alliance attempts for the first time (to
    // move them to the county, precinct and segment it freezes), from the voter to their events.
    await queryRunner.query(`CREATE INDEX conversation_voter_idx ON conversation (alliance_id, voter_id)`);
    await queryRunner.query(
      `CREATE INDEX opt_out_event_message_idx ON opt_out_event (message_id) WHERE action = 'opt_out' AND source IN ('keyword', 'carrier')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The opt-outs already counted stay in progress_cell: `progress reconcile --rebuild` counts them out.
    await queryRunner.query(`DROP INDEX opt_out_event_message_idx, conversation_voter_idx`);
    await queryRunner.query(`DROP TRIGGER opt_out_event_progress_linked ON opt_out_event`);
    await queryRunner.query(`DROP FUNCTION crossroads_requeue_progress_opt_out()`);
    await queryRunner.query(`DROP TRIGGER opt_out_event_progress ON opt_out_event`);
    await queryRunner.query(`DROP FUNCTION crossroads_queue_progress_opt_out()`);
    await queryRunner.query(`DROP TABLE progress_pending_opt_out`);
  }
}
