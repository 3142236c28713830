import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { attemptFactsSql, COUNTED_OPT_OUT_SQL, daySql, OPT_OUT_CONVERSATION_SQL } from './progress-facts.sql';
import type { AttemptDefinitions } from './progress-rollup.repository';

const FIGURES = ['attempts', 'conversations', 'opt_outs', 'voters_attempted', 'voters_reached', 'open_to_reform', 'exclusive_reached'] as const;
export type ProgressFigure = (typeof FIGURES)[number];

/** A cell whose stored figures differ from the raw count: both, figure by figure. */
export interface DriftedCell {
  readonly scopeKind: string;
  readonly scopeId: string;
  readonly dimension: string;
  readonly bucket: string;
  /** The cell's figures (`ProgressFigure`s; a volunteer-time cell's are `seconds` and `sessions`). */
  readonly stored: Readonly<Record<string, number>>;
  readonly counted: Readonly<Record<string, number>>;
}

export interface ReconciliationCount {
  readonly cellsChecked: number;
  readonly drifted: DriftedCell[];
}

/** The seconds ended calling sessions add up to, as migration 022's trigger counts them. */
const ENDED_SESSION_SECONDS_SQL = `sum(GREATEST(0, extract(epoch FROM ended_at - started_at) - paused_seconds))`;

const figuresJson = (alias: string) => `jsonb_build_object(${FIGURES.map((figure) => `'${figure}', COALESCE(${alias}.${figure}, 0)`).join(', ')})`;

/**
 * Counts an alliance's figures from the raw attempts and text opt-out events, the plain way (GROUP
 * BY and DISTINCT over every one counted so far), and compares them with the rollups, cell by cell.
 * The voter's county, precinct and segment are those the rollup froze at their first attempt
 * (unknown for an opt-out of a voter never attempted).
 */
@Injectable()
export class ProgressReconciliationRepository {
  async compare(manager: EntityManager, allianceId: string, definitions: AttemptDefinitions): Promise<ReconciliationCount> {
    const scopeDimensions = `('total', ''), ('county', COALESCE(s.county, '')), ('precinct', COALESCE(s.county, '') || '/' || COALESCE(s.precinct, '')),
                             ('segment', COALESCE(s.segment_key, ''))`;
    const rows: Array<{ checked: number; scopeKind: string; scopeId: string; dimension: string; bucket: string; stored: never; counted: never }> =
      await manager.query(
        `WITH facts AS (
           SELECT a.alliance_id, a.organization_id, COALESCE(o.parent_anchor_id, o.id) AS region_id, a.campaign_id, a.channel::text AS channel,
                  a.voter_id, a.created_at, al.reporting_time_zone AS zone, ${attemptFactsSql('$2', '$3')},
                  r.county, r.precinct, r.segment_key
             FROM contact_attempt a
             JOIN organization o ON o.id = a.organization_id
             JOIN alliance al ON al.id = a.alliance_id
             LEFT JOIN progress_reach r ON r.scope_kind = 'alliance' AND r.scope_id = a.alliance_id AND r.voter_id = a.voter_id
            WHERE a.alliance_id = $1 AND NOT EXISTS (SELECT 1 FROM progress_pending p WHERE p.contact_attempt_id = a.id)),
         opt_out_facts AS (
           SELECT cv.alliance_id, cv.organization_id, COALESCE(o.parent_anchor_id, o.id) AS region_id, cv.campaign_id, cv.voter_id, e.created_at,
                  al.reporting_time_zone AS zone, r.county, r.precinct, r.segment_key
             FROM opt_out_event e ${OPT_OUT_CONVERSATION_SQL}
             LEFT JOIN progress_reach r ON r.scope_kind = 'alliance' AND r.scope_id = cv.alliance_id AND r.voter_id = cv.voter_id
            WHERE e.alliance_id = $1 AND ${COUNTED_OPT_OUT_SQL}
              AND NOT EXISTS (SELECT 1 FROM progress_pending_opt_out p WHERE p.opt_out_event_id = e.id)),
         scoped AS (
           SELECT x.scope_kind, x.scope_id, f.* FROM facts f
            CROSS JOIN LATERAL (VALUES ('alliance'::progress_scope, f.alliance_id), ('region'::progress_scope, f.region_id),
                                       ('organization'::progress_scope, f.organization_id)) x(scope_kind, scope_id)),
         firsts AS (
           SELECT scope_kind, scope_id, voter_id, min(zone) AS zone, min(county) AS county, min(precinct) AS precinct, min(segment_key) AS segment_key,
                  min(created_at) AS attempted_at, min(created_at) FILTER (WHERE conversation) AS reached_at, min(created_at) FILTER (WHERE open) AS open_at
             FROM scoped GROUP BY scope_kind, scope_id, voter_id),
         counted AS (
           SELECT s.scope_kind, s.scope_id, d.dimension, d.bucket, count(*) AS attempts, count(*) FILTER (WHERE s.conversation) AS conversations,
                  count(*) FILTER (WHERE s.opt_out) AS opt_outs, 0 AS voters_attempted, 0 AS voters_reached, 0 AS open_to_reform, 0 AS exclusive_reached
             FROM scoped s
            CROSS JOIN LATERAL (VALUES ${scopeDimensions}, ('day', ${daySql('s.created_at', 's.zone')}),
                                       ('campaign', s.campaign_id::text), ('channel', s.channel)) d(dimension, bucket)
            GROUP BY 1, 2, 3, 4
           UNION ALL
           SELECT x.scope_kind, x.scope_id, d.dimension, d.bucket, 0, 0, count(*), 0, 0, 0, 0
             FROM opt_out_facts s
            CROSS JOIN LATERAL (VALUES ('alliance'::progress_scope, s.alliance_id), ('region'::progress_scope, s.region_id),
                                       ('organization'::progress_scope, s.organization_id)) x(scope_kind, scope_id)
            CROSS JOIN LATERAL (VALUES ${scopeDimensions}, ('day', ${daySql('s.created_at', 's.zone')}),
                                       ('campaign', s.campaign_id::text), ('channel', 'sms')) d(dimension, bucket)
            GROUP BY 1, 2, 3, 4
           UNION ALL
           SELECT s.scope_kind, s.scope_id, d.dimension, d.bucket, 0, 0, 0, count(*), count(s.reached_at), count(s.open_at), 0
             FROM firsts s CROSS JOIN LATERAL (VALUES ${scopeDimensions}) d(dimension, bucket)
            GROUP BY 1, 2, 3, 4
           UNION ALL
           SELECT scope_kind, scope_id, 'day', ${daySql('attempted_at', 'zone')}, 0, 0, 0, count(*), 0, 0, 0 FROM firsts GROUP BY 1, 2, 4
           UNION ALL
           SELECT scope_kind, scope_id, 'day', ${daySql('reached_at', 'zone')}, 0, 0, 0, 0, count(*), 0, 0 FROM firsts WHERE reached_at IS NOT NULL GROUP BY 1, 2, 4
           UNION ALL
           SELECT scope_kind, scope_id, 'day', ${daySql('open_at', 'zone')}, 0, 0, 0, 0, 0, count(*), 0 FROM firsts WHERE open_at IS NOT NULL GROUP BY 1, 2, 4
           UNION ALL
           SELECT s.scope_kind, s.scope_id, d.dimension, d.bucket, 0, 0, 0, count(DISTINCT s.voter_id),
                  count(DISTINCT s.voter_id) FILTER (WHERE s.conversation), count(DISTINCT s.voter_id) FILTER (WHERE s.open), 0
             FROM scoped s CROSS JOIN LATERAL (VALUES ('campaign', s.campaign_id::text), ('channel', s.channel)) d(dimension, bucket)
            GROUP BY 1, 2, 3, 4
           UNION ALL
           SELECT 'organization', sole.organization_id, 'total', '', 0, 0, 0, 0, 0, 0, count(*)
             FROM (SELECT voter_id, min(organization_id::text)::uuid AS organization_id FROM facts WHERE conversation
                    GROUP BY voter_id HAVING count(DISTINCT organization_id) = 1) sole
            GROUP BY sole.organization_id),
         expected AS (
           SELECT scope_kind, scope_id, dimension, bucket, ${FIGURES.map((figure) => `sum(${figure})::bigint AS ${figure}`).join(', ')}
             FROM counted GROUP BY scope_kind, scope_id, dimension, bucket),
         stored AS (SELECT * FROM progress_cell WHERE alliance_id = $1),
         compared AS (
           SELECT COALESCE(e.scope_kind, s.scope_kind) AS scope_kind, COALESCE(e.scope_id, s.scope_id) AS scope_id,
                  COALESCE(e.dimension, s.dimension) AS dimension, COALESCE(e.bucket, s.bucket) AS bucket,
                  ${figuresJson('s')} AS stored, ${figuresJson('e')} AS counted
             FROM expected e FULL JOIN stored s USING (scope_kind, scope_id, dimension, bucket))
         SELECT (SELECT count(*)::int FROM compared) AS checked, scope_kind AS "scopeKind", scope_id AS "scopeId", dimension, bucket, stored, counted
           FROM compared WHERE stored <> counted
          ORDER BY scope_kind, scope_id, dimension, bucket`,
        [allianceId, definitions.conversations, definitions.optOuts],
      );
    const [{ checked }]: { checked: number }[] =
      rows.length > 0 ? rows : await manager.query(`SELECT count(*)::int AS checked FROM progress_cell WHERE alliance_id = $1`, [allianceId]);
    const drifted = rows.map(({ scopeKind, scopeId, dimension, bucket, stored, counted }) => ({
      scopeKind,
      scopeId,
      dimension,
      bucket,
      stored: numbers(stored),
      counted: numbers(counted),
    }));
    return { cellsChecked: checked, drifted };
  }

  /**
   * Volunteer time (`progress_volunteer_time`, kept by a trigger) against the ended calling sessions
   * themselves, per organization and campaign: cells of dimension `volunteer_time`, bucketed by campaign.
   */
  async compareVolunteerTime(manager: EntityManager, allianceId: string): Promise<ReconciliationCount> {
    // One row per drifted cell, or a single row of nulls when none drifted: the count of cells comes either way.
    const result: Array<{ checked: number; organizationId: string | null; campaignId: string; stored: never; counted: never }> = await manager.query(
      `WITH counted AS (
         SELECT organization_id, campaign_id, ${ENDED_SESSION_SECONDS_SQL} AS seconds, count(*) AS sessions
           FROM calling_session WHERE alliance_id = $1 AND ended_at IS NOT NULL GROUP BY 1, 2),
       stored AS (SELECT organization_id, campaign_id, seconds, sessions FROM progress_volunteer_time WHERE alliance_id = $1),
       compared AS (
         SELECT organization_id, campaign_id,
                jsonb_build_object('seconds', COALESCE(s.seconds, 0), 'sessions', COALESCE(s.sessions, 0)) AS stored,
                jsonb_build_object('seconds', COALESCE(c.seconds, 0), 'sessions', COALESCE(c.sessions, 0)) AS counted
           FROM counted c FULL JOIN stored s USING (organization_id, campaign_id))
       SELECT (SELECT count(*)::int FROM compared) AS checked, d.organization_id::text AS "organizationId", d.campaign_id::text AS "campaignId",
              d.stored, d.counted
         FROM (SELECT 1) one LEFT JOIN (SELECT * FROM compared WHERE stored <> counted) d ON true
        ORDER BY 2, 3`,
      [allianceId],
    );
    const checked = result[0].checked;
    const rows = result.filter((row): row is typeof row & { organizationId: string } => row.organizationId !== null);
    const drifted = rows.map(({ organizationId, campaignId, stored, counted }) => ({
      scopeKind: 'organization',
      scopeId: organizationId,
      dimension: 'volunteer_time',
      bucket: campaignId,
      stored: numbers(stored),
      counted: numbers(counted),
    }));
    return { cellsChecked: checked, drifted };
  }

  /** The alliance's volunteer time added up again from its ended sessions (their writes wait meanwhile: nothing ends half counted). */
  async rebuildVolunteerTime(manager: EntityManager, allianceId: string): Promise<void> {
    await manager.query(`LOCK TABLE calling_session IN SHARE MODE`);
    await manager.query(`DELETE FROM progress_volunteer_time WHERE alliance_id = $1`, [allianceId]);
    await manager.query(
      `INSERT INTO progress_volunteer_time (alliance_id, organization_id, campaign_id, seconds, sessions)
       SELECT alliance_id, organization_id, campaign_id, ${ENDED_SESSION_SECONDS_SQL}, count(*)
         FROM calling_session WHERE alliance_id = $1 AND ended_at IS NOT NULL GROUP BY 1, 2, 3`,
      [allianceId],
    );
  }

  async record(
    manager: EntityManager,
    report: { allianceId: string; startedAt: Date; cellsChecked: number; drifted: readonly DriftedCell[]; rebuilt: boolean },
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await manager.query(
      `INSERT INTO progress_reconciliation (alliance_id, started_at, finished_at, cells_checked, drifted_cells, drift, rebuilt)
       VALUES ($1, $2, clock_timestamp(), $3, $4, $5, $6) RETURNING id`,
      [report.allianceId, report.startedAt, report.cellsChecked, report.drifted.length, JSON.stringify(report.drifted.slice(0, 50)), report.rebuilt],
    );
    return id;
  }

  /** Forgets the alliance's rollups and queues every attempt and opt-out event again: the next rollups count them afresh. How many it queued. */
  async resetAlliance(manager: EntityManager, allianceId: string): Promise<number> {
    await manager.query(`DELETE FROM progress_cell WHERE alliance_id = $1`, [allianceId]);
    await manager.query(`DELETE FROM progress_reach WHERE alliance_id = $1`, [allianceId]);
    const attempts: unknown[] = await manager.query(
      `INSERT INTO progress_pending (contact_attempt_id) SELECT id FROM contact_attempt WHERE alliance_id = $1 ON CONFLICT DO NOTHING RETURNING 1`,
      [allianceId],
    );
    const optOuts: unknown[] = await manager.query(
      `INSERT INTO progress_pending_opt_out (opt_out_event_id) SELECT e.id FROM opt_out_event e WHERE e.alliance_id = $1 AND ${COUNTED_OPT_OUT_SQL}
       ON CONFLICT DO NOTHING RETURNING 1`,
      [allianceId],
    );
    return attempts.length + optOuts.length;
  }
}

/** jsonb numbers (numeric seconds, bigint counts) as JavaScript numbers. */
function numbers(figures: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([figure, value]) => [figure, Number(value)]));
}
