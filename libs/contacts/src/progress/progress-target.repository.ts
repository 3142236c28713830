import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';

export interface TargetScope {
  readonly organizationId: string | null;
  readonly county: string | null;
}

export interface StoredTarget extends TargetScope {
  readonly id: string;
  readonly voters: number;
  readonly targetDate: string;
}

const COLUMNS = `id::text, organization_id::text AS "organizationId", county, voters, target_date::text AS "targetDate"`;
const SAME_SCOPE = `alliance_id = $1 AND organization_id IS NOT DISTINCT FROM $2::uuid AND county IS NOT DISTINCT FROM $3::text`;

/** The alliance's goal and its parts' targets: one row per scope (the alliance, an organization, a county). */
@Injectable()
export class ProgressTargetRepository {
  async find(manager: EntityManager, allianceId: string, scope: TargetScope): Promise<StoredTarget | null> {
    const [row]: StoredTarget[] = await manager.query(`SELECT ${COLUMNS} FROM progress_target WHERE ${SAME_SCOPE} FOR UPDATE`, [
      allianceId,
      scope.organizationId,
      scope.county,
    ]);
    return row ?? null;
  }

  async upsert(
    manager: EntityManager,
    allianceId: string,
    scope: TargetScope,
    target: { voters: number; targetDate: string; userId: string },
  ): Promise<StoredTarget> {
    const updated = returnedRows<StoredTarget>(
      await manager.query(
        `UPDATE progress_target SET voters = $4, target_date = $5, updated_by = $6, updated_at = now() WHERE ${SAME_SCOPE} RETURNING ${COLUMNS}`,
        [allianceId, scope.organizationId, scope.county, target.voters, target.targetDate, target.userId],
      ),
    );
    if (updated.length > 0) return updated[0];
    const [inserted]: StoredTarget[] = await manager.query(
      `INSERT INTO progress_target (alliance_id, organization_id, county, voters, target_date, updated_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [allianceId, scope.organizationId, scope.county, target.voters, target.targetDate, target.userId],
    );
    return inserted;
  }

  async remove(manager: EntityManager, allianceId: string, scope: TargetScope): Promise<boolean> {
    const removed = returnedRows(
      await manager.query(`DELETE FROM progress_target WHERE ${SAME_SCOPE} RETURNING id`, [allianceId, scope.organizationId, scope.county]),
    );
    return removed.length > 0;
  }

  /** Serializes target changes of one alliance: two leads setting the same target at once leave one row. */
  async lockAlliance(manager: EntityManager, allianceId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('progress-target:' || $1, 0))`, [allianceId]);
  }

  async organizationId(manager: EntityManager, allianceId: string, slug: string): Promise<string | null> {
    const [row]: { id: string }[] = await manager.query(`SELECT id::text FROM organization WHERE alliance_id = $1 AND slug = $2`, [allianceId, slug]);
    return row?.id ?? null;
  }

  /** Whether the alliance's voter file has anyone in the county (as the file writes it). */
  async countyExists(manager: EntityManager, allianceId: string, county: string): Promise<boolean> {
    const [{ exists }]: { exists: boolean }[] = await manager.query(`SELECT EXISTS (SELECT 1 FROM voter WHERE county = $2 AND alliance_id = $1) AS exists`, [
      allianceId,
      county,
    ]);
    return exists;
  }
}
