import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The law's measures for one campaign over a window of days, read from its calls. */
export interface ComplianceEvidence {
  readonly campaignId: string;
  readonly from: Date;
  readonly to: Date;
  /** Live people who answered: bridged, abandoned, or judged human. */
  readonly liveAnswers: number;
  /** Live people no volunteer took within 2 s of their greeting; they heard the identification message. */
  readonly abandoned: number;
  /** abandoned ÷ live answers; null without live answers. */
  readonly abandonRate: number | null;
  readonly dials: number;
  /** Dials placed outside 08:00–21:00 in the voter's own zone (must be 0). */
  readonly wrongWindowDials: number;
  /** Dials to voters of unknown zone: placed only while every US zone was inside the window, so not counted above. */
  readonly unknownZoneDials: number;
  /** Unanswered calls we ended before 15 s of ringing (must be 0). */
  readonly shortRings: number;
  /** Automatic dials to mobile or unknown-type numbers without consent (must be 0; the database refuses them). */
  readonly automaticMobileDials: number;
}

const LEGAL_START_MINUTE = 8 * 60;
const LEGAL_END_MINUTE = 21 * 60;
const MINIMUM_RING_SECONDS = 15;

/**
 * The compliance evidence of power and predictive dialing, from the `call` rows written as calls
 * happen (how each was started, its line type and consent, the voter's local minute when placed,
 * when it rang, was judged, bridged or abandoned). One statement per campaign and window.
 */
@Injectable()
export class ComplianceEvidenceRepository {
  async evidenceOf(manager: EntityManager, campaignId: string, from: Date, to: Date): Promise<ComplianceEvidence> {
    const [row] = await manager.query<Array<Omit<ComplianceEvidence, 'campaignId' | 'from' | 'to' | 'abandonRate'>>>(
      `SELECT count(*) FILTER (WHERE answered_by = 'human' OR bridged_at IS NOT NULL OR abandoned_at IS NOT NULL)::int AS "liveAnswers",
              count(*) FILTER (WHERE abandoned_at IS NOT NULL)::int AS abandoned,
              count(*)::int AS dials,
              count(*) FILTER (WHERE voter_local_minute IS NOT NULL AND (voter_local_minute < $4 OR voter_local_minute >= $5))::int AS "wrongWindowDials",
              count(*) FILTER (WHERE voter_local_minute IS NULL AND dial_kind <> 'preview')::int AS "unknownZoneDials",
              count(*) FILTER (WHERE answered_at IS NULL AND ringing_at IS NOT NULL AND ended_at IS NOT NULL
                                 AND (hangup_requested_at IS NOT NULL OR status = 'canceled')
                                 AND ended_at - ringing_at < make_interval(secs => $6))::int AS "shortRings",
              count(*) FILTER (WHERE dial_kind = 'automatic' AND COALESCE(line_type, 'unknown') <> 'landline' AND NOT dial_consent)::int AS "automaticMobileDials"
         FROM call
        WHERE campaign_id = $1 AND created_at >= $2 AND created_at < $3`,
      [campaignId, from, to, LEGAL_START_MINUTE, LEGAL_END_MINUTE, MINIMUM_RING_SECONDS],
    );
    return { campaignId, from, to, ...row, abandonRate: row.liveAnswers > 0 ? row.abandoned / row.liveAnswers : null };
  }
}
