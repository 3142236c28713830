import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';
import type { SegmentApplicationRecord } from './segment-application';

const COLUMNS = `id, alliance_id AS "allianceId", model_id AS "modelId", status, voters_total AS "votersTotal", voters_done AS "votersDone",
  distribution, seconds, error_message AS "errorMessage", requested_by_user_id AS "requestedByUserId", created_at AS "createdAt",
  started_at AS "startedAt", finished_at AS "finishedAt"`;

/** Runs of a model over the voter file, with their progress. */
@Injectable()
export class SegmentApplicationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(application: {
    allianceId: string;
    modelId: string;
    requestedByUserId: string | null;
    correlationId: string | null;
  }): Promise<SegmentApplicationRecord> {
    const rows: SegmentApplicationRecord[] = await this.dataSource.query(
      `INSERT INTO segment_application (alliance_id, model_id, requested_by_user_id, correlation_id) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [application.allianceId, application.modelId, application.requestedByUserId, application.correlationId],
    );
    return rows[0];
  }

  async find(id: string): Promise<SegmentApplicationRecord | null> {
    const rows: SegmentApplicationRecord[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM segment_application WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async latestForModel(modelId: string): Promise<SegmentApplicationRecord | null> {
    const rows: SegmentApplicationRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM segment_application WHERE model_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [modelId],
    );
    return rows[0] ?? null;
  }

  /** Claims a queued run; a redelivered job finds one left running by a dead worker and runs it again (the swap is all or nothing). */
  async claim(id: string, votersTotal: number): Promise<SegmentApplicationRecord | null> {
    const rows = returnedRows<SegmentApplicationRecord>(
      await this.dataSource.query(
        `UPDATE segment_application SET status = 'running', started_at = now(), updated_at = now(), voters_total = $2, voters_done = 0
         WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
        [id, votersTotal],
      ),
    );
    return rows[0] ?? null;
  }

  async reportProgress(id: string, votersDone: number): Promise<void> {
    await this.dataSource.query(`UPDATE segment_application SET voters_done = $2, updated_at = now() WHERE id = $1 AND status = 'running'`, [id, votersDone]);
  }

  /** Marks success inside the transaction that swaps the assignments in, so the two never disagree. */
  async markSucceeded(manager: EntityManager, id: string, outcome: { voters: number; distribution: Record<string, number>; seconds: number }): Promise<void> {
    await manager.query(
      `UPDATE segment_application SET status = 'succeeded', voters_done = $2, voters_total = $2, distribution = $3, seconds = $4, finished_at = now(), updated_at = now()
       WHERE id = $1`,
      [id, outcome.voters, JSON.stringify(outcome.distribution), outcome.seconds],
    );
  }

  async markFailed(id: string, message: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE segment_application SET status = 'failed', error_message = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status <> 'succeeded'`,
      [id, message],
    );
  }
}
