import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrganizationKind } from '@app/identity';
import type { ProgressScopeKind, ScopeOrganization } from './progress-scopes.policy';

/** A scope's figures in one cell (zeros before its first attempt is counted). */
export interface ScopeTotals {
  readonly attempts: number;
  readonly conversations: number;
  readonly optOuts: number;
  readonly votersAttempted: number;
  readonly votersReached: number;
  readonly openToReform: number;
  /** An organization's total only: voters it reached that no other organization has. */
  readonly exclusiveReached: number;
}

export interface BucketTotals extends ScopeTotals {
  readonly bucket: string;
}

export type ProgressDimension = 'day' | 'county' | 'precinct' | 'segment' | 'campaign' | 'channel';

export interface AllianceTarget {
  readonly voters: number;
  /** YYYY-MM-DD. */
  readonly targetDate: string;
  /** Set as a target, or the alliance's contact goal by the end of the year. */
  readonly source: 'target' | 'alliance_goal';
}

/** A target of an anchor's region, a member organization or a county. */
export interface PartTarget {
  readonly organizationId: string | null;
  readonly county: string | null;
  readonly voters: number;
  readonly targetDate: string;
}

export interface AllianceFacts {
  readonly name: string;
  readonly reportingTimeZone: string;
}

export const ZERO_TOTALS: ScopeTotals = {
  attempts: 0,
  conversations: 0,
  optOuts: 0,
  votersAttempted: 0,
  votersReached: 0,
  openToReform: 0,
  exclusiveReached: 0,
};

const FIGURES = `attempts::float8 AS attempts, conversations::float8 AS conversations, opt_outs::float8 AS "optOuts",
                 voters_attempted::float8 AS "votersAttempted", voters_reached::float8 AS "votersReached",
                 open_to_reform::float8 AS "openToReform", exclusive_reached::float8 AS "exclusiveReached"`;

/** Reads of the rollups, the targets and what labels them (the dashboard's, the exports' and the cli's): keyed reads only. */
@Injectable()
export class ProgressFiguresRepository {
  async totals(manager: EntityManager, scopeKind: ProgressScopeKind, scopeId: string): Promise<ScopeTotals> {
    return (await this.totalsOf(manager, scopeKind, [scopeId])).get(scopeId) ?? ZERO_TOTALS;
  }

  /** Several scopes' totals (or one channel's figures of each), by scope id; a scope with no attempt yet is absent. */
  async totalsOf(
    manager: EntityManager,
    scopeKind: ProgressScopeKind,
    scopeIds: readonly string[],
    channel?: 'phone' | 'sms',
  ): Promise<Map<string, ScopeTotals>> {
    const rows: (ScopeTotals & { scopeId: string })[] = await manager.query(
      `SELECT scope_id::text AS "scopeId", ${FIGURES}
         FROM progress_cell WHERE scope_kind = $1 AND scope_id = ANY ($2::uuid[]) AND dimension = $3 AND bucket = $4`,
      [scopeKind, scopeIds, channel === undefined ? 'total' : 'channel', channel ?? ''],
    );
    return new Map(rows.map(({ scopeId, ...totals }) => [scopeId, totals]));
  }

  /** A scope's figures by one dimension, by bucket. */
  buckets(manager: EntityManager, scopeKind: ProgressScopeKind, scopeId: string, dimension: ProgressDimension): Promise<BucketTotals[]> {
    return manager.query(`SELECT bucket, ${FIGURES} FROM progress_cell WHERE scope_kind = $1 AND scope_id = $2 AND dimension = $3 ORDER BY bucket`, [
      scopeKind,
      scopeId,
      dimension,
    ]);
  }

  /** The alliance's goal: its target row, else `alliance.voter_contact_goal` by 31 December of `year`. */
  async allianceTarget(manager: EntityManager, allianceId: string, year: number): Promise<AllianceTarget> {
    const [row]: AllianceTarget[] = await manager.query(
      `SELECT COALESCE(t.voters, a.voter_contact_goal) AS voters, COALESCE(t.target_date::text, $2) AS "targetDate",
              CASE WHEN t.id IS NULL THEN 'alliance_goal' ELSE 'target' END AS source
         FROM alliance a LEFT JOIN progress_target t ON t.alliance_id = a.id AND t.organization_id IS NULL AND t.county IS NULL
        WHERE a.id = $1`,
      [allianceId, `${year}-12-31`],
    );
    return row;
  }

  /** The targets of anchors' regions, members and counties. */
  partTargets(manager: EntityManager, allianceId: string): Promise<PartTarget[]> {
    return manager.query(
      `SELECT organization_id::text AS "organizationId", county, voters, target_date::text AS "targetDate"
         FROM progress_target WHERE alliance_id = $1 AND (organization_id IS NOT NULL OR county IS NOT NULL)
        ORDER BY county NULLS FIRST, organization_id`,
      [allianceId],
    );
  }

  async alliance(manager: EntityManager, allianceId: string): Promise<AllianceFacts> {
    const [row]: AllianceFacts[] = await manager.query(`SELECT name, reporting_time_zone AS "reportingTimeZone" FROM alliance WHERE id = $1`, [allianceId]);
    return row;
  }

  organizations(manager: EntityManager, allianceId: string): Promise<ScopeOrganization[]> {
    return manager.query(
      `SELECT id::text, slug, name, kind::text AS kind, parent_anchor_id::text AS "parentAnchorId" FROM organization WHERE alliance_id = $1 ORDER BY name, id`,
      [allianceId],
    ) as Promise<(ScopeOrganization & { kind: OrganizationKind })[]>;
  }

  /** Campaign names by id, for the campaign buckets. */
  async campaignNames(manager: EntityManager, allianceId: string, campaignIds: readonly string[]): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await manager.query(`SELECT id::text, name FROM campaign WHERE alliance_id = $1 AND id = ANY ($2::uuid[])`, [
      allianceId,
      campaignIds.filter((id) => /^[0-9a-f-]{36}$/.test(id)),
    ]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** Segment names by key, from the alliance's latest taxonomy. */
  async segmentNames(manager: EntityManager, allianceId: string): Promise<Map<string, string>> {
    const rows: { key: string; name: string }[] = await manager.query(
      `SELECT s->>'key' AS key, s->>'name' AS name
         FROM (SELECT segments FROM segment_taxonomy WHERE alliance_id = $1 ORDER BY version DESC LIMIT 1) t
        CROSS JOIN LATERAL jsonb_array_elements(t.segments) s`,
      [allianceId],
    );
    return new Map(rows.map((row) => [row.key, row.name]));
  }

  /**
   * Volunteer time on the phones, in seconds, by organization or campaign: calling sessions from
   * start to end (or now, while open), less their pauses. Texting has no session to time. Ended
   * sessions come rolled up (`progress_volunteer_time`, kept by a trigger); open ones are timed now.
   */
  async volunteerSeconds(
    manager: EntityManager,
    allianceId: string,
    organizationIds: readonly string[] | null,
    by: 'organization' | 'campaign',
  ): Promise<Map<string, number>> {
    const key = by === 'organization' ? 'organization_id' : 'campaign_id';
    const rows: { key: string; seconds: number }[] = await manager.query(
      `SELECT key, sum(seconds)::float8 AS seconds FROM (
         SELECT ${key}::text AS key, seconds FROM progress_volunteer_time
          WHERE alliance_id = $1 AND ($2::uuid[] IS NULL OR organization_id = ANY ($2::uuid[]))
         UNION ALL
         SELECT ${key}::text, GREATEST(0, extract(epoch FROM now() - started_at) - paused_seconds - COALESCE(extract(epoch FROM now() - paused_at), 0))
           FROM calling_session
          WHERE alliance_id = $1 AND ended_at IS NULL AND ($2::uuid[] IS NULL OR organization_id = ANY ($2::uuid[]))) timed
        GROUP BY 1`,
      [allianceId, organizationIds],
    );
    return new Map(rows.map((row) => [row.key, row.seconds]));
  }
}
