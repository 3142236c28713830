import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** One voter's classification as written: the segment now, and the model's own probabilities. */
export interface AssignmentRow {
  readonly voterId: string;
  readonly segmentKey: string;
  readonly probability: number;
  readonly modelProbabilities: ArrayLike<number>;
  readonly evidenceCount: number;
}

export interface VoterAssignment {
  readonly modelId: string;
  readonly segmentKey: string;
  readonly probability: number;
  readonly modelProbabilities: number[];
  readonly evidenceCount: number;
}

export interface ExportRow {
  readonly voterId: string;
  readonly sourceVoterId: string;
  readonly segmentKey: string;
  readonly probability: number;
}

export interface DistributionRow {
  readonly key: string;
  readonly label: string;
  readonly segmentKey: string;
  readonly voters: number;
}

/** The partition holding one model's assignments. */
function partitionOf(modelId: string): string {
  return `segment_assignment_${modelId.replace(/-/g, '')}`;
}

@Injectable()
export class SegmentAssignmentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async countActiveVoters(allianceId: string): Promise<number> {
    const [row]: Array<{ voters: string }> = await this.dataSource.query(`SELECT count(*) AS voters FROM voter WHERE alliance_id = $1 AND active`, [
      allianceId,
    ]);
    return Number(row.voters);
  }

  /**
   * Starts writing a model's complete set of assignments into a table of its own, in a
   * transaction on a connection of its own; `commit` indexes it and swaps it in for the model's
   * previous partition, so readers see the old rows or the new, never a mix or a duplicate.
   */
  async openPartitionWriter(modelId: string, allianceId: string): Promise<AssignmentPartitionWriter> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    try {
      await runner.startTransaction();
      const next = `${partitionOf(modelId)}_next`;
      await runner.query(`DROP TABLE IF EXISTS ${next}`);
      await runner.query(`CREATE TABLE ${next} (LIKE segment_assignment INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      // COPY sends only what varies; the CHECK lets ATTACH skip proving every row belongs.
      await runner.query(`ALTER TABLE ${next} ALTER model_id SET DEFAULT '${modelId}', ALTER alliance_id SET DEFAULT '${allianceId}'`);
      await runner.query(`ALTER TABLE ${next} ADD CONSTRAINT ${next}_model_check CHECK (model_id = '${modelId}')`);
      const copy = client.query(copyFrom(`COPY ${next} (voter_id, segment_key, probability, model_probabilities, evidence_count) FROM STDIN`));
      return new AssignmentPartitionWriter(runner, copy, modelId, next);
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      throw error;
    }
  }

  /** Writes (or rewrites) some voters' assignments for a model that already has its partition: a later import's voters. */
  async upsert(modelId: string, allianceId: string, rows: readonly AssignmentRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO segment_assignment (model_id, alliance_id, voter_id, segment_key, probability, model_probabilities, evidence_count)
       SELECT $1, $2, voter_id, segment_key, probability, string_to_array(probabilities, ',')::real[], evidence_count
       FROM unnest($3::bigint[], $4::text[], $5::real[], $6::text[], $7::smallint[]) AS input (voter_id, segment_key, probability, probabilities, evidence_count)
       ON CONFLICT (model_id, voter_id) DO UPDATE SET segment_key = excluded.segment_key, probability = excluded.probability,
         model_probabilities = excluded.model_probabilities, evidence_count = excluded.evidence_count`,
      [
        modelId,
        allianceId,
        rows.map((row) => row.voterId),
        rows.map((row) => row.segmentKey),
        rows.map((row) => row.probability),
        rows.map((row) => Array.from(row.modelProbabilities, roundProbability).join(',')),
        rows.map((row) => row.evidenceCount),
      ],
    );
  }

  async hasPartition(modelId: string): Promise<boolean> {
    const [row]: Array<{ exists: boolean }> = await this.dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [partitionOf(modelId)]);
    return row.exists;
  }

  /** Every piece of conversation evidence of the alliance, oldest first, grouped by voter. */
  async evidenceByVoter(allianceId: string): Promise<Map<string, Array<Readonly<Record<string, number>>>>> {
    const rows: Array<{ voterId: string; likelihoods: Record<string, number> }> = await this.dataSource.query(
      `SELECT voter_id::text AS "voterId", likelihoods FROM segment_evidence WHERE alliance_id = $1 ORDER BY id`,
      [allianceId],
    );
    const byVoter = new Map<string, Array<Readonly<Record<string, number>>>>();
    for (const row of rows) byVoter.set(row.voterId, [...(byVoter.get(row.voterId) ?? []), row.likelihoods]);
    return byVoter;
  }

  /** A voter's assignment under a model, locked for an update when asked; under the manager's row scope. */
  async findForVoter(manager: EntityManager, modelId: string, voterId: string, options: { lock?: boolean } = {}): Promise<VoterAssignment | null> {
    const rows: VoterAssignment[] = await manager.query(
      `SELECT model_id AS "modelId", segment_key AS "segmentKey", probability, model_probabilities AS "modelProbabilities", evidence_count AS "evidenceCount"
       FROM segment_assignment WHERE model_id = $1 AND voter_id = $2 ${options.lock ? 'FOR UPDATE' : ''}`,
      [modelId, voterId],
    );
    return rows[0] ?? null;
  }

  async updateForVoter(
    manager: EntityManager,
    modelId: string,
    voterId: string,
    update: { segmentKey: string; probability: number; evidenceCount: number },
  ): Promise<void> {
    await manager.query(`UPDATE segment_assignment SET segment_key = $3, probability = $4, evidence_count = $5 WHERE model_id = $1 AND voter_id = $2`, [
      modelId,
      voterId,
      update.segmentKey,
      update.probability,
      update.evidenceCount,
    ]);
  }

  /** Voters per segment by county, under the manager's row scope (an organization sees its own voters). */
  async distributionByCounty(manager: EntityManager, allianceId: string, modelId: string): Promise<DistributionRow[]> {
    const rows: Array<{ key: string | null; segmentKey: string; voters: string }> = await manager.query(
      `SELECT v.county AS key, sa.segment_key AS "segmentKey", count(*) AS voters
       FROM segment_assignment sa JOIN voter v ON v.alliance_id = sa.alliance_id AND v.id = sa.voter_id
       WHERE sa.model_id = $2 AND sa.alliance_id = $1 AND v.active
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [allianceId, modelId],
    );
    return rows.map((row) => ({ key: row.key ?? '', label: row.key ?? '(no county)', segmentKey: row.segmentKey, voters: Number(row.voters) }));
  }

  /** Voters per segment among each member organization's turf (any campaign, each voter once per organization). */
  async distributionByOrganization(manager: EntityManager, allianceId: string, modelId: string): Promise<DistributionRow[]> {
    const rows: Array<{ key: string; label: string; segmentKey: string; voters: string }> = await manager.query(
      `SELECT o.slug AS key, o.name AS label, sa.segment_key AS "segmentKey", count(*) AS voters
       FROM (SELECT DISTINCT organization_id, voter_id FROM turf_assignment_voter WHERE alliance_id = $1) tav
       JOIN organization o ON o.id = tav.organization_id
       JOIN segment_assignment sa ON sa.model_id = $2 AND sa.voter_id = tav.voter_id
       GROUP BY 1, 2, 3 ORDER BY 2, 3`,
      [allianceId, modelId],
    );
    return rows.map((row) => ({ key: row.key, label: row.label, segmentKey: row.segmentKey, voters: Number(row.voters) }));
  }

  /** One page of a model's export, by voter id, under the manager's row scope. */
  async exportPage(manager: EntityManager, modelId: string, allianceId: string, afterVoterId: string, limit: number): Promise<ExportRow[]> {
    return manager.query(
      `SELECT sa.voter_id::text AS "voterId", v.source_voter_id AS "sourceVoterId", sa.segment_key AS "segmentKey", sa.probability
       FROM segment_assignment sa JOIN voter v ON v.alliance_id = sa.alliance_id AND v.id = sa.voter_id
       WHERE sa.model_id = $1 AND sa.alliance_id = $2 AND sa.voter_id > $3::bigint
       ORDER BY sa.voter_id LIMIT $4`,
      [modelId, allianceId, afterVoterId, limit],
    );
  }
}

const COPY_CHUNK_CHARACTERS = 64 * 1024;

/** Six decimals: well inside a real's precision, and short on the wire. */
export function roundProbability(probability: number): number {
  return Math.round(probability * 1e6) / 1e6;
}

/** Writes one model's assignments by COPY, then swaps them in as the model's partition. */
export class AssignmentPartitionWriter {
  private written = 0;
  // Rows go to the socket in chunks: one CopyData message (and one syscall) per row would cost
  // more than classifying the voter.
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(
    private readonly runner: QueryRunner,
    private readonly copy: CopyStreamQuery,
    private readonly modelId: string,
    private readonly next: string,
  ) {}

  get rows(): number {
    return this.written;
  }

  /** Queues rows; resolves when the stream wants more (back-pressure). */
  async writeAll(rows: readonly AssignmentRow[]): Promise<void> {
    for (const row of rows) {
      const waiting = this.writeVoter(row.voterId, row.segmentKey, row.probability, row.modelProbabilities, row.evidenceCount);
      if (waiting) await waiting;
    }
  }

  /**
   * Queues one voter's row straight from the classifier's scratch arrays (nothing is kept of
   * them); returns a promise only when the stream wants the writer to wait.
   */
  writeVoter(
    voterId: string,
    segmentKey: string,
    probability: number,
    modelProbabilities: ArrayLike<number>,
    evidenceCount: number,
  ): Promise<void> | undefined {
    let probabilities = '';
    for (let index = 0; index < modelProbabilities.length; index += 1) {
      probabilities += `${index === 0 ? '' : ','}${roundProbability(modelProbabilities[index])}`;
    }
    const line = `${voterId}\t${segmentKey}\t${roundProbability(probability)}\t{${probabilities}}\t${evidenceCount}\n`;
    this.written += 1;
    this.pending.push(line);
    this.pendingLength += line.length;
    return this.pendingLength >= COPY_CHUNK_CHARACTERS ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.copy.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        this.copy.once('error', onError);
        this.copy.once('drain', () => {
          this.copy.off('error', onError);
          resolve();
        });
      });
    }
  }

  /** Indexes the new rows, replaces the model's old partition with them, runs `alsoInTransaction`, commits. */
  async commit(alsoInTransaction: (manager: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.flush();
      await new Promise<void>((resolve, reject) => {
        this.copy.once('error', reject);
        this.copy.end(() => resolve());
      });
      const partition = partitionOf(this.modelId);
      await this.runner.query(`ALTER TABLE ${this.next} ALTER model_id DROP DEFAULT, ALTER alliance_id DROP DEFAULT`);
      await this.runner.query(`ALTER TABLE ${this.next} ADD CONSTRAINT ${this.next}_pkey PRIMARY KEY (model_id, voter_id)`);
      await this.runner.query(`DROP TABLE IF EXISTS ${partition}`);
      await this.runner.query(`ALTER TABLE ${this.next} RENAME TO ${partition}`);
      await this.runner.query(`ALTER TABLE ${partition} RENAME CONSTRAINT ${this.next}_pkey TO ${partition}_pkey`);
      await this.runner.query(`ALTER TABLE ${partition} RENAME CONSTRAINT ${this.next}_model_check TO ${partition}_model_check`);
      await this.runner.query(`ALTER TABLE segment_assignment ATTACH PARTITION ${partition} FOR VALUES IN ('${this.modelId}')`);
      await alsoInTransaction(this.runner.manager);
      await this.runner.commitTransaction();
      // Fresh statistics, so the first lookups of a million new rows are planned for their size.
      await this.runner.query(`ANALYZE ${partition}`);
    } catch (error) {
      await this.runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await this.runner.release();
    }
  }

  async abort(): Promise<void> {
    this.copy.destroy();
    await this.runner.rollbackTransaction().catch(() => undefined);
    await this.runner.release();
  }
}
