import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type EvidenceSource = 'phone' | 'sms' | 'manual';
export const EVIDENCE_SOURCES: readonly EvidenceSource[] = ['phone', 'sms', 'manual'];

export interface SegmentEvidenceRecord {
  readonly id: string;
  readonly questionKey: string;
  readonly answerKey: string;
  readonly likelihoods: Readonly<Record<string, number>>;
  readonly source: EvidenceSource;
  readonly sourceReference: string | null;
  readonly modelId: string | null;
  readonly segmentBefore: string | null;
  readonly probabilityBefore: number | null;
  readonly segmentAfter: string | null;
  readonly probabilityAfter: number | null;
  readonly createdAt: Date;
}

export interface NewSegmentEvidence {
  readonly allianceId: string;
  readonly voterId: string;
  readonly taxonomyId: string;
  readonly questionKey: string;
  readonly answerKey: string;
  readonly likelihoods: Readonly<Record<string, number>>;
  readonly source: EvidenceSource;
  readonly sourceReference: string | null;
  readonly modelId: string | null;
  readonly segmentBefore: string | null;
  readonly probabilityBefore: number | null;
  readonly segmentAfter: string;
  readonly probabilityAfter: number;
  readonly recordedByUserId: string | null;
}

const COLUMNS = `id::text AS id, question_key AS "questionKey", answer_key AS "answerKey", likelihoods, source, source_reference AS "sourceReference",
  model_id AS "modelId", segment_before AS "segmentBefore", probability_before AS "probabilityBefore", segment_after AS "segmentAfter",
  probability_after AS "probabilityAfter", created_at AS "createdAt"`;

/** Answers to values questions, one row each; always under the caller's row scope. */
@Injectable()
export class SegmentEvidenceRepository {
  async listForVoter(manager: EntityManager, allianceId: string, voterId: string): Promise<SegmentEvidenceRecord[]> {
    return manager.query(`SELECT ${COLUMNS} FROM segment_evidence WHERE alliance_id = $1 AND voter_id = $2 ORDER BY id`, [allianceId, voterId]);
  }

  /** Null when this source already recorded this answer for the question (a retried request). */
  async insert(manager: EntityManager, evidence: NewSegmentEvidence): Promise<SegmentEvidenceRecord | null> {
    const rows: SegmentEvidenceRecord[] = await manager.query(
      `INSERT INTO segment_evidence (alliance_id, voter_id, taxonomy_id, question_key, answer_key, likelihoods, source, source_reference, model_id,
         segment_before, probability_before, segment_after, probability_after, recorded_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (alliance_id, source, source_reference, question_key) WHERE source_reference IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        evidence.allianceId,
        evidence.voterId,
        evidence.taxonomyId,
        evidence.questionKey,
        evidence.answerKey,
        JSON.stringify(evidence.likelihoods),
        evidence.source,
        evidence.sourceReference,
        evidence.modelId,
        evidence.segmentBefore,
        evidence.probabilityBefore,
        evidence.segmentAfter,
        evidence.probabilityAfter,
        evidence.recordedByUserId,
      ],
    );
    return rows[0] ?? null;
  }

  /** Whether the scope may see the voter. */
  async visibleVoter(manager: EntityManager, allianceId: string, voterId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM voter WHERE alliance_id = $1 AND id = $2`, [allianceId, voterId]);
    return rows.length > 0;
  }

  /**
   * Holds the voter's evidence for the rest of the transaction, so two answers recorded at once
   * update one after the other (an advisory lock: the api may not lock voter rows, and a voter
   * with no segment yet has no assignment row to lock).
   */
  async lockVoter(manager: EntityManager, allianceId: string, voterId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('segment_evidence'), hashtext($1))`, [`${allianceId}:${voterId}`]);
  }
}
