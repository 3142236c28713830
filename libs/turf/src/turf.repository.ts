import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type DataAccess, RowScopeRunner } from '@app/database';
import { SqlParameters, type VoterFilter, voterFilterConditions } from '@app/voter-file';
import type { PrecinctGroup } from './precinct-split.util';
import type { TurfFilter } from './turf-filter';

export type TurfStatus = 'draft' | 'materialized';

export interface TurfRecord {
  readonly id: string;
  readonly allianceId: string;
  /** The anchor that cut it; null when the alliance did. */
  readonly organizationId: string | null;
  readonly parentTurfId: string | null;
  readonly name: string;
  readonly filter: TurfFilter;
  readonly status: TurfStatus;
  readonly voterCount: number | null;
  readonly createdByUserId: string | null;
  readonly createdAt: Date;
  readonly materializedAt: Date | null;
}

export interface NewTurf {
  readonly allianceId: string;
  readonly organizationId: string | null;
  readonly parentTurfId: string | null;
  readonly name: string;
  readonly filter: TurfFilter;
  readonly createdByUserId: string;
}

/** Joins county and precinct into one key, and stands for a missing one; no voter file writes a control character there. */
const PLACE_SEPARATOR = '\u0001';

const COLUMNS = `t.id, t.alliance_id AS "allianceId", t.organization_id AS "organizationId", t.parent_turf_id AS "parentTurfId", t.name,
  t.filter, t.status, t.voter_count AS "voterCount", t.created_by_user_id AS "createdByUserId", t.created_at AS "createdAt",
  t.materialized_at AS "materializedAt"`;

/** Turf and its voters. Statements that touch voters run under the caller's row scope. */
@Injectable()
export class TurfRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rowScopes: RowScopeRunner,
  ) {}

  /** Runs work in one transaction under the access's row scope; the manager goes to the methods below. */
  inScope<T>(access: DataAccess, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.rowScopes.run(access.rowScope, work);
  }

  async insert(manager: EntityManager, turf: NewTurf, materialized: { voterCount: number } | null = null): Promise<TurfRecord> {
    const rows: TurfRecord[] = await manager.query(
      `INSERT INTO turf AS t (alliance_id, organization_id, parent_turf_id, name, filter, created_by_user_id, status, voter_count, materialized_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::turf_status, $8, CASE WHEN $7::turf_status = 'materialized' THEN now() END)
       RETURNING ${COLUMNS}`,
      [
        turf.allianceId,
        turf.organizationId,
        turf.parentTurfId,
        turf.name,
        JSON.stringify(turf.filter),
        turf.createdByUserId,
        materialized === null ? 'draft' : 'materialized',
        materialized?.voterCount ?? null,
      ],
    );
    return rows[0];
  }

  async find(allianceId: string, id: string): Promise<TurfRecord | null> {
    const rows: TurfRecord[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM turf t WHERE t.alliance_id = $1 AND t.id = $2`, [allianceId, id]);
    return rows[0] ?? null;
  }

  /** Which alliance a turf belongs to, so a route can authorize before it reads. */
  async allianceOf(id: string): Promise<string | null> {
    const rows: Array<{ allianceId: string }> = await this.dataSource.query(`SELECT alliance_id AS "allianceId" FROM turf WHERE id = $1`, [id]);
    return rows[0]?.allianceId ?? null;
  }

  /** The turf, locked until the transaction ends, so two materializations or splits take turns. */
  async lock(manager: EntityManager, id: string): Promise<TurfRecord> {
    const rows: TurfRecord[] = await manager.query(`SELECT ${COLUMNS} FROM turf t WHERE t.id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  /**
   * An alliance's turf, newest first: all of it, or only what the given organizations cut or
   * hold (an assignment, current or past, to one of them).
   */
  list(allianceId: string, organizationIds: readonly string[] | null, turfId: string | null = null): Promise<TurfRecord[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM turf t
        WHERE t.alliance_id = $1
          AND ($3::uuid IS NULL OR t.id = $3::uuid)
          AND ($2::uuid[] IS NULL OR t.organization_id = ANY($2::uuid[])
               OR t.id IN (SELECT ta.turf_id FROM turf_assignment ta WHERE ta.organization_id = ANY($2::uuid[])))
        ORDER BY t.created_at DESC, t.name
        LIMIT 1000`,
      [allianceId, organizationIds, turfId],
    );
  }

  async countParts(manager: EntityManager, parentTurfId: string): Promise<number> {
    const [{ parts }]: Array<{ parts: number }> = await manager.query(`SELECT count(*)::int AS parts FROM turf WHERE parent_turf_id = $1`, [parentTurfId]);
    return parts;
  }

  /** Writes the turf's voters: those its filter matches now, as the row scope lets the caller see them. */
  async materialize(manager: EntityManager, turfId: string, filter: VoterFilter, access: DataAccess): Promise<number> {
    const query = new SqlParameters();
    const conditions = voterFilterConditions(filter, access.visibility, query);
    const [{ inserted }]: Array<{ inserted: number }> = await manager.query(
      `WITH inserted AS (
         INSERT INTO turf_voter (turf_id, voter_id, alliance_id, county, precinct)
         SELECT ${query.add(turfId)}::uuid, v.id, v.alliance_id, v.county, v.precinct FROM voter v WHERE ${conditions.join(' AND ')}
         RETURNING 1)
       SELECT count(*)::int AS inserted FROM inserted`,
      query.values,
    );
    await manager.query(`UPDATE turf SET status = 'materialized', voter_count = $2, materialized_at = now() WHERE id = $1`, [turfId, inserted]);
    return inserted;
  }

  /** The turf's voters by county and precinct, in that order (the places they had when it was materialized). */
  precinctGroups(manager: EntityManager, turfId: string): Promise<PrecinctGroup[]> {
    return manager.query(
      `SELECT county, precinct, count(*)::int AS voters
         FROM turf_voter
        WHERE turf_id = $1
        GROUP BY county, precinct
        ORDER BY county NULLS LAST, precinct NULLS LAST`,
      [turfId],
    );
  }

  /** Copies the parent's voters into the parts, each whole precinct to the part given for it. */
  async fillPartsByPrecinct(manager: EntityManager, parentTurfId: string, groups: readonly PrecinctGroup[], partIdOfGroup: readonly string[]): Promise<void> {
    // Each voter finds its part by a key lookup in one JSON object (county and precinct joined by
    // a control character), not by a join: a join's plan rests on statistics of a table that has
    // just grown by a whole county, and a nested loop over 400 precincts × 100k voters took seconds.
    const key = (group: PrecinctGroup) => `${group.county ?? PLACE_SEPARATOR}${PLACE_SEPARATOR}${group.precinct ?? PLACE_SEPARATOR}`;
    const partOfPlace = Object.fromEntries(groups.map((group, index) => [key(group), partIdOfGroup[index]]));
    await manager.query(
      `INSERT INTO turf_voter (turf_id, voter_id, alliance_id, county, precinct)
       SELECT ($2::jsonb ->> (coalesce(tv.county, $3) || $3 || coalesce(tv.precinct, $3)))::uuid, tv.voter_id, tv.alliance_id, tv.county, tv.precinct
         FROM turf_voter tv
        WHERE tv.turf_id = $1`,
      [parentTurfId, JSON.stringify(partOfPlace), PLACE_SEPARATOR],
    );
  }

  /** Copies the parent's voters into parts whose sizes differ by at most one, in county and precinct order. */
  async fillEqualParts(manager: EntityManager, parentTurfId: string, partIds: readonly string[]): Promise<void> {
    await manager.query(
      `INSERT INTO turf_voter (turf_id, voter_id, alliance_id, county, precinct)
       SELECT ($2::uuid[])[s.part], s.voter_id, s.alliance_id, s.county, s.precinct
         FROM (SELECT tv.voter_id, tv.alliance_id, tv.county, tv.precinct, ntile($3) OVER (ORDER BY tv.county, tv.precinct, tv.voter_id) AS part
                 FROM turf_voter tv
                WHERE tv.turf_id = $1) s`,
      [parentTurfId, partIds, partIds.length],
    );
  }

  async partSizes(manager: EntityManager, partIds: readonly string[]): Promise<Map<string, number>> {
    const rows: Array<{ turfId: string; voters: number }> = await manager.query(
      `SELECT turf_id AS "turfId", count(*)::int AS voters FROM turf_voter WHERE turf_id = ANY($1::uuid[]) GROUP BY turf_id`,
      [partIds],
    );
    return new Map(rows.map((row) => [row.turfId, row.voters]));
  }

  async setVoterCount(manager: EntityManager, turfId: string, voterCount: number): Promise<void> {
    await manager.query(`UPDATE turf SET voter_count = $2 WHERE id = $1`, [turfId, voterCount]);
  }
}
