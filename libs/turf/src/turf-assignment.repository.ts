import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';

export interface TurfAssignmentRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly turfId: string;
  readonly turfName: string;
  readonly campaignId: string;
  readonly campaignSlug: string;
  readonly campaignName: string;
  readonly organizationId: string;
  readonly organizationSlug: string;
  readonly organizationName: string;
  readonly voterCount: number;
  readonly assignedByUserId: string | null;
  readonly assignedAt: Date;
  readonly endedAt: Date | null;
  readonly endReason: 'unassigned' | 'reassigned' | null;
}

export interface AssignableOrganization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: 'anchor' | 'member';
  readonly parentAnchorId: string | null;
}

export interface AssignmentFilter {
  readonly allianceId: string;
  /** Null: every organization's. */
  readonly organizationIds: readonly string[] | null;
  readonly campaignId?: string;
  readonly organizationId?: string;
  readonly turfIds?: readonly string[];
  readonly assignmentId?: string;
}

const SELECT = `SELECT a.id, a.alliance_id AS "allianceId", a.turf_id AS "turfId", t.name AS "turfName", a.campaign_id AS "campaignId",
    c.slug AS "campaignSlug", c.name AS "campaignName", a.organization_id AS "organizationId", o.slug AS "organizationSlug",
    o.name AS "organizationName", a.voter_count AS "voterCount", a.assigned_by_user_id AS "assignedByUserId", a.assigned_at AS "assignedAt",
    a.ended_at AS "endedAt", a.end_reason AS "endReason"
  FROM turf_assignment a
  JOIN turf t ON t.id = a.turf_id
  JOIN campaign c ON c.id = a.campaign_id
  JOIN organization o ON o.id = a.organization_id`;

/** Turf assignments: the rows that keep the history, and the per-voter rows that enforce one organization per voter per campaign. */
@Injectable()
export class TurfAssignmentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findOrganization(allianceId: string, slug: string): Promise<AssignableOrganization | null> {
    return this.dataSource
      .query(`SELECT id, slug, name, kind, parent_anchor_id AS "parentAnchorId" FROM organization WHERE alliance_id = $1 AND slug = $2`, [allianceId, slug])
      .then((rows: AssignableOrganization[]) => rows[0] ?? null);
  }

  async allianceOf(id: string): Promise<string | null> {
    const rows: Array<{ allianceId: string }> = await this.dataSource.query(`SELECT alliance_id AS "allianceId" FROM turf_assignment WHERE id = $1`, [id]);
    return rows[0]?.allianceId ?? null;
  }

  /** Assignments, newest first, current and ended. */
  list(filter: AssignmentFilter, manager: EntityManager | DataSource = this.dataSource): Promise<TurfAssignmentRecord[]> {
    return manager.query(
      `${SELECT}
        WHERE a.alliance_id = $1
          AND ($2::uuid[] IS NULL OR a.organization_id = ANY($2::uuid[]) OR t.organization_id = ANY($2::uuid[]))
          AND ($3::uuid IS NULL OR a.campaign_id = $3::uuid)
          AND ($4::uuid IS NULL OR a.organization_id = $4::uuid)
          AND ($5::uuid[] IS NULL OR a.turf_id = ANY($5::uuid[]))
          AND ($6::uuid IS NULL OR a.id = $6::uuid)
        ORDER BY a.assigned_at DESC, a.id
        LIMIT 2000`,
      [
        filter.allianceId,
        filter.organizationIds,
        filter.campaignId ?? null,
        filter.organizationId ?? null,
        filter.turfIds ?? null,
        filter.assignmentId ?? null,
      ],
    );
  }

  async insert(
    manager: EntityManager,
    assignment: { allianceId: string; campaignId: string; turfId: string; organizationId: string; assignedByUserId: string },
  ): Promise<string> {
    const [{ id }]: Array<{ id: string }> = await manager.query(
      `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count, assigned_by_user_id)
       VALUES ($1, $2, $3, $4, 0, $5) RETURNING id`,
      [assignment.allianceId, assignment.campaignId, assignment.turfId, assignment.organizationId, assignment.assignedByUserId],
    );
    return id;
  }

  /**
   * Takes the turf's voters for the assignment's organization in its campaign, skipping those
   * another assignment holds (the primary key decides, whoever can see the holder). Returns how
   * many it took.
   */
  async takeVoters(manager: EntityManager, assignmentId: string): Promise<number> {
    const [{ taken }]: Array<{ taken: number }> = await manager.query(
      `WITH taken AS (
         INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id)
         SELECT a.campaign_id, tv.voter_id, a.alliance_id, a.organization_id, a.id
           FROM turf_assignment a JOIN turf_voter tv ON tv.turf_id = a.turf_id
          WHERE a.id = $1
         ON CONFLICT (campaign_id, voter_id) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS taken FROM taken`,
      [assignmentId],
    );
    await manager.query(`UPDATE turf_assignment SET voter_count = $2 WHERE id = $1`, [assignmentId, taken]);
    return taken;
  }

  /** Ends a current assignment and frees its voters; false when it had already ended. */
  async end(manager: EntityManager, assignmentId: string, reason: 'unassigned' | 'reassigned', userId: string): Promise<boolean> {
    // An UPDATE … RETURNING answers [rows, count]: the rows say whether this call ended it.
    const ended = returnedRows(
      await manager.query(
        `UPDATE turf_assignment SET ended_at = now(), end_reason = $2, ended_by_user_id = $3 WHERE id = $1 AND ended_at IS NULL RETURNING id`,
        [assignmentId, reason, userId],
      ),
    );
    if (ended.length === 0) return false;
    await manager.query(`DELETE FROM turf_assignment_voter WHERE turf_assignment_id = $1`, [assignmentId]);
    return true;
  }
}
