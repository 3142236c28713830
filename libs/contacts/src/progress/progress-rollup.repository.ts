import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ATTEMPT_FACTS_JOINS_SQL, attemptFactsBatchSql, COUNTED_OPT_OUT_SQL, daySql, OPT_OUT_CONVERSATION_SQL } from './progress-facts.sql';

/** Which dispositions are conversations and which end all contact: from the campaigns library, as arrays. */
export interface AttemptDefinitions {
  readonly conversations: readonly string[];
  readonly optOuts: readonly string[];
}

/** What a claimed batch of opt-out events held: `claimed` left the queue, `counted` named a conversation. */
export interface OptOutBatch {
  readonly claimed: number;
  readonly counted: number;
}

/** The buckets a voter was `kind` in, before and in this batch: sorted, each once (the rollup is the one writer, so "before" is current). */
function mergedBuckets(kind: 'attempted' | 'reached' | 'open'): string {
  return `ARRAY(SELECT DISTINCT name FROM unnest(old_${kind}_buckets || ${kind}_buckets) name ORDER BY name)`;
}

/**
 * The progress rollups, kept by one writer at a time (a transaction lock): a batch of queued
 * attempts is taken off `progress_pending` (and of text opt-outs off `progress_pending_opt_out`)
 * and counted in the same transaction, so each is counted once whatever crashes or repeats.
 * Set-based throughout: a batch of thousands is a dozen statements, and the dashboard's hot rows
 * are written once per batch, not once per attempt.
 */
@Injectable()
export class ProgressRollupRepository {
  /** False when another rollup holds the lock (it will take these attempts). */
  async lock(manager: EntityManager): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtextextended('progress-rollup', 0)) AS locked`);
    return locked;
  }

  /** Waits for the rollup in progress (the reconciliation must see the rollups still). */
  async waitForLock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('progress-rollup', 0))`);
  }

  /** Whether any attempt or opt-out waits: a run every second finds none most of the time, and then touches nothing. */
  async anyPending(manager: EntityManager): Promise<boolean> {
    const [{ pending }]: { pending: boolean }[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM progress_pending) OR EXISTS (SELECT 1 FROM progress_pending_opt_out) AS pending`,
    );
    return pending;
  }

  /** Takes up to `limit` queued attempts, oldest first, with what each counts as; their count. */
  async claimBatch(manager: EntityManager, limit: number, definitions: AttemptDefinitions): Promise<number> {
    // A batch's groupings (a hundred thousand rows of scope × dimension) sort in memory rather than on disk.
    await manager.query(`SET LOCAL work_mem = '64MB'`);
    await manager.query(
      `
      CREATE TEMP TABLE progress_batch ON COMMIT DROP AS
      WITH claimed AS (
        -- By row address: only the rollup deletes from the queue, under its lock, and nothing updates a queued row.
        DELETE FROM progress_pending WHERE ctid = ANY (ARRAY (SELECT ctid FROM progress_pending ORDER BY queued_at LIMIT $1))
        RETURNING contact_attempt_id)
      SELECT a.id, a.alliance_id, a.organization_id, COALESCE(o.parent_anchor_id, o.id) AS region_id, a.campaign_id,
             a.channel::text AS channel, a.voter_id, a.created_at, al.reporting_time_zone AS zone,
             ${daySql('a.created_at', 'al.reporting_time_zone')} AS day, ${attemptFactsBatchSql('$2', '$3')}
        FROM claimed
        JOIN contact_attempt a ON a.id = claimed.contact_attempt_id
        JOIN organization o ON o.id = a.organization_id
        JOIN alliance al ON al.id = a.alliance_id
        ${ATTEMPT_FACTS_JOINS_SQL}`,
      [limit, definitions.conversations, definitions.optOuts],
    );
    // A new temporary table has no statistics: without them its joins to the rollups (millions of rows) may scan those whole.
    await manager.query(`ANALYZE progress_batch`);
    const [{ count }]: { count: number }[] = await manager.query(`SELECT count(*)::int AS count FROM progress_batch`);
    return count;
  }

  /**
   * Counts the claimed batch into the rollups. Order matters: every "before" is read before any
   * rollup row of this batch is written. One index probe per scope and voter (`progress_reach`);
   * the rest joins the batch's own temporary tables, and only the voters about whom something moved
   * (new in a scope, a bucket or a day; newly reached or open) go further than the first of them.
   */
  async countBatch(manager: EntityManager): Promise<void> {
    // Per voter and scope: the batch's firsts and buckets against what the rollups held. A voter known
    // in a scope has there the county, precinct and segment the alliance froze at their first attempt.
    await manager.query(`
      CREATE TEMP TABLE progress_voter_change ON COMMIT DROP AS
      WITH batch AS (
        SELECT s.scope_kind, s.scope_id, b.voter_id, min(b.alliance_id::text)::uuid AS alliance_id, min(b.zone) AS zone,
               min(b.created_at) AS attempted_at, min(b.created_at) FILTER (WHERE b.conversation) AS reached_at,
               min(b.created_at) FILTER (WHERE b.open) AS open_at,
               array_agg(DISTINCT k.name) AS attempted_buckets,
               COALESCE(array_agg(DISTINCT k.name) FILTER (WHERE b.conversation), '{}') AS reached_buckets,
               COALESCE(array_agg(DISTINCT k.name) FILTER (WHERE b.open), '{}') AS open_buckets
          FROM progress_batch b
         CROSS JOIN LATERAL (VALUES ('alliance'::progress_scope, b.alliance_id), ('region'::progress_scope, b.region_id),
                                    ('organization'::progress_scope, b.organization_id)) s(scope_kind, scope_id)
         CROSS JOIN LATERAL (VALUES ('campaign:' || b.campaign_id::text), ('channel:' || b.channel)) k(name)
         GROUP BY s.scope_kind, s.scope_id, b.voter_id)
      SELECT batch.scope_kind, batch.scope_id, batch.voter_id, batch.alliance_id, batch.zone,
             r.county, r.precinct, r.segment_key,
             batch.attempted_at, batch.reached_at, batch.open_at, batch.attempted_buckets, batch.reached_buckets, batch.open_buckets,
             r.voter_id IS NOT NULL AS known, r.first_attempt_at AS old_attempted_at, r.reached_at AS old_reached_at, r.open_at AS old_open_at,
             COALESCE(r.attempted_buckets, '{}') AS old_attempted_buckets, COALESCE(r.reached_buckets, '{}') AS old_reached_buckets,
             COALESCE(r.open_buckets, '{}') AS old_open_buckets, COALESCE(r.reaching_organizations, 0) AS reaching_organizations,
             r.sole_organization_id
        FROM batch
        -- One probe of the key per voter and scope, always: a plain join may be planned as a hash of the whole table.
        LEFT JOIN LATERAL (SELECT * FROM progress_reach p
                            WHERE p.scope_kind = batch.scope_kind AND p.scope_id = batch.scope_id AND p.voter_id = batch.voter_id LIMIT 1) r ON true`);
    // New to the alliance: their county, precinct and segment now, frozen from this batch on (the
    // voter file is read for these voters only).
    await manager.query(`
      UPDATE progress_voter_change c SET county = x.county, precinct = x.precinct, segment_key = x.segment_key
        FROM (SELECT f.alliance_id, f.voter_id, v.county, v.precinct, sa.segment_key
                FROM progress_voter_change f
                LEFT JOIN LATERAL (SELECT county, precinct FROM voter WHERE alliance_id = f.alliance_id AND id = f.voter_id LIMIT 1) v ON true
                LEFT JOIN LATERAL (SELECT a.segment_key FROM segment_model m JOIN segment_assignment a ON a.model_id = m.id AND a.voter_id = f.voter_id
                                    WHERE m.alliance_id = f.alliance_id AND m.active LIMIT 1) sa ON true
               WHERE f.scope_kind = 'alliance' AND NOT f.known) x
       WHERE c.scope_kind = 'alliance' AND c.alliance_id = x.alliance_id AND c.voter_id = x.voter_id`);
    // New to a region or an organization: what the alliance froze (just now, or at an earlier first attempt).
    await manager.query(`
      UPDATE progress_voter_change c SET county = f.county, precinct = f.precinct, segment_key = f.segment_key
        FROM progress_voter_change f
       WHERE NOT c.known AND c.scope_kind <> 'alliance' AND f.scope_kind = 'alliance' AND f.alliance_id = c.alliance_id AND f.voter_id = c.voter_id`);
    await manager.query(`
      CREATE TEMP TABLE progress_voter_moved ON COMMIT DROP AS
      SELECT * FROM progress_voter_change
       WHERE NOT known OR attempted_at < old_attempted_at OR reached_at < COALESCE(old_reached_at, 'infinity') OR open_at < COALESCE(old_open_at, 'infinity')
          OR NOT attempted_buckets <@ old_attempted_buckets OR NOT reached_buckets <@ old_reached_buckets OR NOT open_buckets <@ old_open_buckets`);
    // Opt-outs already counted of voters the alliance attempts for the first time: they were counted
    // with no county, precinct or segment (none was frozen yet) and move to those frozen now.
    await manager.query(`
      CREATE TEMP TABLE progress_opt_out_move ON COMMIT DROP AS
      SELECT s.scope_kind, s.scope_id, c.alliance_id, c.county, c.precinct, c.segment_key, count(*) AS opt_outs
        FROM opt_out_event e ${OPT_OUT_CONVERSATION_SQL}
        JOIN progress_voter_moved c ON c.scope_kind = 'alliance' AND NOT c.known AND c.alliance_id = cv.alliance_id AND c.voter_id = cv.voter_id
       CROSS JOIN LATERAL (VALUES ('alliance'::progress_scope, cv.alliance_id), ('region'::progress_scope, COALESCE(o.parent_anchor_id, o.id)),
                                  ('organization'::progress_scope, cv.organization_id)) s(scope_kind, scope_id)
       WHERE ${COUNTED_OPT_OUT_SQL} AND NOT EXISTS (SELECT 1 FROM progress_pending_opt_out p WHERE p.opt_out_event_id = e.id)
       GROUP BY s.scope_kind, s.scope_id, c.alliance_id, c.county, c.precinct, c.segment_key`);
    // Organizations newly reaching a voter: what they add alone, and what a second one takes from the first.
    await manager.query(`
      CREATE TEMP TABLE progress_exclusive_change ON COMMIT DROP AS
      WITH newly AS (
        SELECT alliance_id, voter_id, array_agg(scope_id ORDER BY scope_id) AS organizations
          FROM progress_voter_moved WHERE scope_kind = 'organization' AND old_reached_at IS NULL AND reached_at IS NOT NULL
         GROUP BY alliance_id, voter_id)
      SELECT n.alliance_id, n.voter_id, n.organizations, a.reaching_organizations AS before, a.sole_organization_id AS sole
        FROM newly n JOIN progress_voter_change a ON a.scope_kind = 'alliance' AND a.alliance_id = n.alliance_id AND a.voter_id = n.voter_id`);

    await manager.query(`
      INSERT INTO progress_cell AS cell (scope_kind, scope_id, alliance_id, dimension, bucket, attempts, conversations, opt_outs,
                                        voters_attempted, voters_reached, open_to_reform, exclusive_reached)
      SELECT scope_kind, scope_id, alliance_id, dimension, bucket, sum(attempts), sum(conversations), sum(opt_outs),
             sum(voters_attempted), sum(voters_reached), sum(open_to_reform), sum(exclusive_reached)
        FROM (
          -- The attempts, summed per organization first (the three scopes share them) and then per scope.
          SELECT s.scope_kind, s.scope_id, a.alliance_id, a.dimension, a.bucket, a.attempts, a.conversations, a.opt_outs,
                 0 AS voters_attempted, 0 AS voters_reached, 0 AS open_to_reform, 0 AS exclusive_reached
            FROM (SELECT b.alliance_id, b.region_id, b.organization_id, d.dimension, d.bucket, count(*) AS attempts,
                         count(*) FILTER (WHERE b.conversation) AS conversations, count(*) FILTER (WHERE b.opt_out) AS opt_outs
                    FROM progress_batch b
                    JOIN progress_voter_change f ON f.scope_kind = 'alliance' AND f.alliance_id = b.alliance_id AND f.voter_id = b.voter_id
                   CROSS JOIN LATERAL (VALUES ('total', ''), ('day', b.day), ('county', COALESCE(f.county, '')),
                                              ('precinct', COALESCE(f.county, '') || '/' || COALESCE(f.precinct, '')), ('segment', COALESCE(f.segment_key, '')),
                                              ('campaign', b.campaign_id::text), ('channel', b.channel)) d(dimension, bucket)
                   GROUP BY 1, 2, 3, 4, 5) a
           CROSS JOIN LATERAL (VALUES ('alliance'::progress_scope, a.alliance_id), ('region'::progress_scope, a.region_id),
                                      ('organization'::progress_scope, a.organization_id)) s(scope_kind, scope_id)
          UNION ALL
          SELECT c.scope_kind, c.scope_id, c.alliance_id, d.dimension, d.bucket, 0, 0, 0,
                 count(*) FILTER (WHERE NOT c.known), count(*) FILTER (WHERE c.old_reached_at IS NULL AND c.reached_at IS NOT NULL),
                 count(*) FILTER (WHERE c.old_open_at IS NULL AND c.open_at IS NOT NULL), 0
            FROM progress_voter_moved c
           CROSS JOIN LATERAL (VALUES ('total', ''), ('county', COALESCE(c.county, '')),
                                      ('precinct', COALESCE(c.county, '') || '/' || COALESCE(c.precinct, '')), ('segment', COALESCE(c.segment_key, ''))) d(dimension, bucket)
           GROUP BY c.scope_kind, c.scope_id, c.alliance_id, d.dimension, d.bucket
          UNION ALL
          -- A first attempt, conversation or open answer moved earlier (or appeared): one less on the old day, one more on the new.
          SELECT c.scope_kind, c.scope_id, c.alliance_id, 'day', ${daySql('m.at', 'c.zone')}, 0, 0, 0,
                 COALESCE(sum(m.delta) FILTER (WHERE f.figure = 'attempted'), 0), COALESCE(sum(m.delta) FILTER (WHERE f.figure = 'reached'), 0),
                 COALESCE(sum(m.delta) FILTER (WHERE f.figure = 'open'), 0), 0
            FROM progress_voter_moved c
           CROSS JOIN LATERAL (VALUES ('attempted', c.old_attempted_at, c.attempted_at), ('reached', c.old_reached_at, c.reached_at),
                                      ('open', c.old_open_at, c.open_at)) f(figure, old_at, new_at)
           CROSS JOIN LATERAL (VALUES (f.old_at, -1), (f.new_at, 1)) m(at, delta)
           WHERE f.new_at < COALESCE(f.old_at, 'infinity') AND m.at IS NOT NULL
           GROUP BY 1, 2, 3, 5
          UNION ALL
          SELECT c.scope_kind, c.scope_id, c.alliance_id, split_part(k.name, ':', 1), substr(k.name, strpos(k.name, ':') + 1), 0, 0, 0,
                 count(*) FILTER (WHERE NOT k.name = ANY (c.old_attempted_buckets)),
                 count(*) FILTER (WHERE k.name = ANY (c.reached_buckets) AND NOT k.name = ANY (c.old_reached_buckets)),
                 count(*) FILTER (WHERE k.name = ANY (c.open_buckets) AND NOT k.name = ANY (c.old_open_buckets)), 0
            FROM progress_voter_moved c CROSS JOIN LATERAL unnest(c.attempted_buckets) k(name)
           GROUP BY 1, 2, 3, 4, 5
          UNION ALL
          SELECT 'organization', organizations[1], alliance_id, 'total', '', 0, 0, 0, 0, 0, 0, 1
            FROM progress_exclusive_change WHERE before = 0 AND cardinality(organizations) = 1
          UNION ALL
          SELECT 'organization', sole, alliance_id, 'total', '', 0, 0, 0, 0, 0, 0, -1
            FROM progress_exclusive_change WHERE before = 1 AND sole IS NOT NULL
          UNION ALL
          SELECT mv.scope_kind, mv.scope_id, mv.alliance_id, d.dimension, d.bucket, 0, 0, d.opt_outs, 0, 0, 0, 0
            FROM progress_opt_out_move mv
           CROSS JOIN LATERAL (VALUES ('county', '', -mv.opt_outs), ('precinct', '/', -mv.opt_outs), ('segment', '', -mv.opt_outs),
                                      ('county', COALESCE(mv.county, ''), mv.opt_outs),
                                      ('precinct', COALESCE(mv.county, '') || '/' || COALESCE(mv.precinct, ''), mv.opt_outs),
                                      ('segment', COALESCE(mv.segment_key, ''), mv.opt_outs)) d(dimension, bucket, opt_outs)
        ) delta
       GROUP BY scope_kind, scope_id, alliance_id, dimension, bucket
      ON CONFLICT (scope_kind, scope_id, dimension, bucket) DO UPDATE SET
        attempts = cell.attempts + EXCLUDED.attempts, conversations = cell.conversations + EXCLUDED.conversations,
        opt_outs = cell.opt_outs + EXCLUDED.opt_outs, voters_attempted = cell.voters_attempted + EXCLUDED.voters_attempted,
        voters_reached = cell.voters_reached + EXCLUDED.voters_reached, open_to_reform = cell.open_to_reform + EXCLUDED.open_to_reform,
        exclusive_reached = cell.exclusive_reached + EXCLUDED.exclusive_reached`);

    // Only what moved: a voter's row is not rewritten for an attempt that changes nothing about them.
    await manager.query(`
      INSERT INTO progress_reach AS r (scope_kind, scope_id, voter_id, alliance_id, county, precinct, segment_key, first_attempt_at, reached_at, open_at,
                                       attempted_buckets, reached_buckets, open_buckets)
      SELECT scope_kind, scope_id, voter_id, alliance_id, county, precinct, segment_key, attempted_at, reached_at, open_at,
             ${mergedBuckets('attempted')}, ${mergedBuckets('reached')}, ${mergedBuckets('open')}
        FROM progress_voter_moved
      ON CONFLICT (scope_kind, scope_id, voter_id) DO UPDATE SET
        first_attempt_at = LEAST(r.first_attempt_at, EXCLUDED.first_attempt_at),
        reached_at = LEAST(r.reached_at, EXCLUDED.reached_at), open_at = LEAST(r.open_at, EXCLUDED.open_at),
        attempted_buckets = EXCLUDED.attempted_buckets, reached_buckets = EXCLUDED.reached_buckets, open_buckets = EXCLUDED.open_buckets`);
    await manager.query(`
      UPDATE progress_reach r SET reaching_organizations = x.before + cardinality(x.organizations),
             sole_organization_id = CASE WHEN x.before + cardinality(x.organizations) = 1 THEN x.organizations[1] END
        FROM progress_exclusive_change x WHERE r.scope_kind = 'alliance' AND r.scope_id = x.alliance_id AND r.voter_id = x.voter_id`);
    await manager.query(`DROP TABLE progress_batch, progress_voter_change, progress_voter_moved, progress_opt_out_move, progress_exclusive_change`);
  }

  /** Takes up to `limit` queued opt-out events, oldest first, with the conversation each counts in (none: it counts nowhere). */
  async claimOptOutBatch(manager: EntityManager, limit: number): Promise<OptOutBatch> {
    await manager.query(
      `
      CREATE TEMP TABLE progress_opt_out_batch ON COMMIT DROP AS
      WITH claimed AS (
        DELETE FROM progress_pending_opt_out WHERE opt_out_event_id IN (
          SELECT opt_out_event_id FROM progress_pending_opt_out ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING opt_out_event_id)
      SELECT claimed.opt_out_event_id, f.alliance_id, f.organization_id, f.region_id, f.campaign_id, f.voter_id, f.created_at, f.zone
        FROM claimed
        LEFT JOIN (SELECT e.id, cv.alliance_id, cv.organization_id, COALESCE(o.parent_anchor_id, o.id) AS region_id, cv.campaign_id, cv.voter_id,
                          e.created_at, al.reporting_time_zone AS zone
                     FROM opt_out_event e ${OPT_OUT_CONVERSATION_SQL}
                    WHERE ${COUNTED_OPT_OUT_SQL}) f ON f.id = claimed.opt_out_event_id`,
      [limit],
    );
    const [batch]: OptOutBatch[] = await manager.query(`SELECT count(*)::int AS claimed, count(voter_id)::int AS counted FROM progress_opt_out_batch`);
    return batch;
  }

  /**
   * Adds the claimed opt-outs to `opt_outs`, in their conversation's scopes, campaign and the text
   * channel. The county, precinct and segment are those the alliance froze for the voter; none yet
   * (a voter who wrote STOP to a first text) counts as unknown until their first attempt moves it.
   */
  async countOptOutBatch(manager: EntityManager): Promise<void> {
    await manager.query(`
      INSERT INTO progress_cell AS cell (scope_kind, scope_id, alliance_id, dimension, bucket, opt_outs)
      SELECT s.scope_kind, s.scope_id, b.alliance_id, d.dimension, d.bucket, count(*)
        FROM progress_opt_out_batch b
        LEFT JOIN progress_reach r ON r.scope_kind = 'alliance' AND r.scope_id = b.alliance_id AND r.voter_id = b.voter_id
       CROSS JOIN LATERAL (VALUES ('alliance'::progress_scope, b.alliance_id), ('region'::progress_scope, b.region_id),
                                  ('organization'::progress_scope, b.organization_id)) s(scope_kind, scope_id)
       CROSS JOIN LATERAL (VALUES ('total', ''), ('day', ${daySql('b.created_at', 'b.zone')}), ('county', COALESCE(r.county, '')),
                                  ('precinct', COALESCE(r.county, '') || '/' || COALESCE(r.precinct, '')), ('segment', COALESCE(r.segment_key, '')),
                                  ('campaign', b.campaign_id::text), ('channel', 'sms')) d(dimension, bucket)
       WHERE b.voter_id IS NOT NULL
       GROUP BY s.scope_kind, s.scope_id, b.alliance_id, d.dimension, d.bucket
      ON CONFLICT (scope_kind, scope_id, dimension, bucket) DO UPDATE SET opt_outs = cell.opt_outs + EXCLUDED.opt_outs`);
    await manager.query(`DROP TABLE progress_opt_out_batch`);
  }

  /** Attempts queued and not yet counted. */
  async pendingCount(manager: EntityManager): Promise<number> {
    const [{ count }]: { count: number }[] = await manager.query(`SELECT count(*)::int AS count FROM progress_pending`);
    return count;
  }
}
