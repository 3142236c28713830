import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';
import type { PollSummary, SegmentModelDefinition, SegmentModelEvaluation, SegmentModelKind, SegmentModelRecord, TrainingOptions } from './segment-model';

const COLUMNS = `m.id, m.alliance_id AS "allianceId", m.taxonomy_id AS "taxonomyId", m.version, m.name, m.kind, m.status, m.definition,
  m.training_options AS "trainingOptions", m.evaluation, m.poll, m.training_seconds AS "trainingSeconds", m.error_message AS "errorMessage",
  m.active, m.created_by_user_id AS "createdByUserId", m.created_at AS "createdAt", m.trained_at AS "trainedAt"`;

export interface NewSegmentModel {
  readonly allianceId: string;
  readonly taxonomyId: string;
  readonly name: string;
  readonly kind: SegmentModelKind;
  readonly definition: SegmentModelDefinition | null;
  readonly trainingOptions: Partial<TrainingOptions>;
  readonly poll: PollSummary | null;
  readonly createdByUserId: string | null;
  readonly correlationId: string | null;
}

export interface PollResponseRow {
  readonly lineNumber: number;
  readonly sourceVoterId: string;
  readonly voterId: string | null;
  readonly segmentKey: string;
}

/** Segment models and the poll answers a trained one learned from. */
@Injectable()
export class SegmentModelRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs work in one transaction on the owner's connection (workers, the cli). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Inserts with the alliance's next version number; the per-alliance lock keeps two saves from taking the same one. */
  async insert(manager: EntityManager, model: NewSegmentModel): Promise<SegmentModelRecord> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('segment_model'), hashtext($1))`, [model.allianceId]);
    const rows: SegmentModelRecord[] = await manager.query(
      `INSERT INTO segment_model AS m (alliance_id, taxonomy_id, version, name, kind, status, definition, training_options, poll, created_by_user_id, correlation_id)
       SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4::segment_model_kind, $5::segment_model_status, $6, $7, $8, $9, $10
       FROM segment_model WHERE alliance_id = $1
       RETURNING ${COLUMNS}`,
      [
        model.allianceId,
        model.taxonomyId,
        model.name,
        model.kind,
        model.kind === 'rules' ? 'ready' : 'queued',
        model.definition === null ? null : JSON.stringify(model.definition),
        JSON.stringify(model.trainingOptions),
        model.poll === null ? null : JSON.stringify(model.poll),
        model.createdByUserId,
        model.correlationId,
      ],
    );
    return rows[0];
  }

  async insertPollResponses(manager: EntityManager, modelId: string, allianceId: string, rows: readonly PollResponseRow[]): Promise<void> {
    const batch = 5000;
    for (let start = 0; start < rows.length; start += batch) {
      const slice = rows.slice(start, start + batch);
      await manager.query(
        `INSERT INTO segment_poll_response (model_id, alliance_id, line_number, source_voter_id, voter_id, segment_key)
         SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::bigint[], $6::text[])`,
        [
          modelId,
          allianceId,
          slice.map((row) => row.lineNumber),
          slice.map((row) => row.sourceVoterId),
          slice.map((row) => row.voterId),
          slice.map((row) => row.segmentKey),
        ],
      );
    }
  }

  /** The matched answers of a model's poll, in file order. */
  async matchedPollResponses(modelId: string): Promise<Array<{ voterId: string; segmentKey: string }>> {
    return this.dataSource.query(
      `SELECT voter_id::text AS "voterId", segment_key AS "segmentKey" FROM segment_poll_response
       WHERE model_id = $1 AND voter_id IS NOT NULL ORDER BY line_number`,
      [modelId],
    );
  }

  /** The alliance's voters with these source ids (active or not), under the manager's row scope. */
  async matchVoters(manager: EntityManager, allianceId: string, sourceVoterIds: readonly string[]): Promise<Map<string, { id: string; active: boolean }>> {
    const rows: Array<{ sourceVoterId: string; id: string; active: boolean }> = await manager.query(
      `SELECT source_voter_id AS "sourceVoterId", id::text AS id, active FROM voter WHERE alliance_id = $1 AND source_voter_id = ANY($2::text[])`,
      [allianceId, sourceVoterIds],
    );
    return new Map(rows.map((row) => [row.sourceVoterId, { id: row.id, active: row.active }]));
  }

  async find(allianceId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<SegmentModelRecord | null> {
    const rows: SegmentModelRecord[] = await manager.query(`SELECT ${COLUMNS} FROM segment_model m WHERE m.alliance_id = $1 AND m.id = $2`, [allianceId, id]);
    return rows[0] ?? null;
  }

  /** Which alliance a model belongs to, so a route can authorize before it reads. */
  async allianceOf(id: string): Promise<string | null> {
    const rows: Array<{ allianceId: string }> = await this.dataSource.query(`SELECT alliance_id AS "allianceId" FROM segment_model WHERE id = $1`, [id]);
    return rows[0]?.allianceId ?? null;
  }

  async list(allianceId: string): Promise<SegmentModelRecord[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM segment_model m WHERE m.alliance_id = $1 ORDER BY m.version DESC`, [allianceId]);
  }

  async active(allianceId: string, manager: EntityManager = this.dataSource.manager): Promise<SegmentModelRecord | null> {
    const rows: SegmentModelRecord[] = await manager.query(`SELECT ${COLUMNS} FROM segment_model m WHERE m.alliance_id = $1 AND m.active`, [allianceId]);
    return rows[0] ?? null;
  }

  /**
   * The active model's id and taxonomy, and the alliance's newest taxonomy, in one statement: what
   * a call card or a phone answer needs, on the caller's connection, without the model's definition.
   */
  async activeAndLatestTaxonomy(
    manager: EntityManager,
    allianceId: string,
  ): Promise<{ modelId: string | null; modelTaxonomyId: string | null; latestTaxonomyId: string | null }> {
    const rows: Array<{ modelId: string | null; modelTaxonomyId: string | null; latestTaxonomyId: string | null }> = await manager.query(
      `SELECT m.id AS "modelId", m.taxonomy_id AS "modelTaxonomyId",
              (SELECT t.id FROM segment_taxonomy t WHERE t.alliance_id = $1 ORDER BY t.version DESC LIMIT 1) AS "latestTaxonomyId"
         FROM (SELECT 1) AS one LEFT JOIN segment_model m ON m.alliance_id = $1 AND m.active`,
      [allianceId],
    );
    return rows[0];
  }

  /** The rule model a trained one is compared with: the active one if it is rules, else the newest ready rule list. */
  async currentRules(allianceId: string, taxonomyId: string): Promise<SegmentModelRecord | null> {
    const rows: SegmentModelRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM segment_model m
       WHERE m.alliance_id = $1 AND m.taxonomy_id = $2 AND m.kind = 'rules' AND m.status = 'ready'
       ORDER BY m.active DESC, m.version DESC LIMIT 1`,
      [allianceId, taxonomyId],
    );
    return rows[0] ?? null;
  }

  /** Claims a queued model for training; a redelivered job finds a model left mid-training and trains it again. */
  async claimForTraining(id: string): Promise<SegmentModelRecord | null> {
    const rows = returnedRows<SegmentModelRecord>(
      await this.dataSource.query(
        `UPDATE segment_model m SET status = 'training' WHERE m.id = $1 AND m.status IN ('queued', 'training') RETURNING ${COLUMNS}`,
        [id],
      ),
    );
    return rows[0] ?? null;
  }

  async markTrained(id: string, definition: SegmentModelDefinition, evaluation: SegmentModelEvaluation, seconds: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE segment_model SET status = 'ready', definition = $2, evaluation = $3, training_seconds = $4, trained_at = now(), error_message = NULL
       WHERE id = $1`,
      [id, JSON.stringify(definition), JSON.stringify(evaluation), seconds],
    );
  }

  async markFailed(id: string, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE segment_model SET status = 'failed', error_message = $2 WHERE id = $1 AND status <> 'ready'`, [id, message]);
  }

  /** Makes this model the alliance's active one, inside the transaction that swapped its assignments in. */
  async activate(manager: EntityManager, allianceId: string, id: string): Promise<void> {
    await manager.query(`UPDATE segment_model SET active = false WHERE alliance_id = $1 AND active AND id <> $2`, [allianceId, id]);
    await manager.query(`UPDATE segment_model SET active = true WHERE id = $1`, [id]);
  }
}
