import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { SegmentTaxonomy, SegmentTaxonomyInput } from './segment-taxonomy';

const COLUMNS = `id, alliance_id AS "allianceId", version, segments, values_questions AS "valuesQuestions",
  created_by_user_id AS "createdByUserId", created_at AS "createdAt"`;

/** Taxonomy versions: written once, never updated. */
@Injectable()
export class SegmentTaxonomyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async latest(allianceId: string): Promise<SegmentTaxonomy | null> {
    const rows: SegmentTaxonomy[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM segment_taxonomy WHERE alliance_id = $1 ORDER BY version DESC LIMIT 1`,
      [allianceId],
    );
    return rows[0] ?? null;
  }

  async find(allianceId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<SegmentTaxonomy | null> {
    const rows: SegmentTaxonomy[] = await manager.query(`SELECT ${COLUMNS} FROM segment_taxonomy WHERE alliance_id = $1 AND id = $2`, [allianceId, id]);
    return rows[0] ?? null;
  }

  /**
   * Writes the next version. Two editors saving at once both compute the same number; the unique
   * key lets one win and the other retry on top of it, so neither edit is lost unseen.
   */
  async insertNext(allianceId: string, input: SegmentTaxonomyInput, createdByUserId: string | null): Promise<SegmentTaxonomy | null> {
    const rows: SegmentTaxonomy[] = await this.dataSource.query(
      `INSERT INTO segment_taxonomy (alliance_id, version, segments, values_questions, created_by_user_id)
       SELECT $1, COALESCE(max(version), 0) + 1, $2, $3, $4 FROM segment_taxonomy WHERE alliance_id = $1
       ON CONFLICT (alliance_id, version) DO NOTHING
       RETURNING ${COLUMNS}`,
      [allianceId, JSON.stringify(input.segments), JSON.stringify(input.valuesQuestions), createdByUserId],
    );
    return rows[0] ?? null;
  }
}
