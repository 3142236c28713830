import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';
import type { LineType } from '@app/telephony';

/** A call-list row this worker now holds the lookup of. The phone never leaves the fill: it is not logged. */
export interface ClaimedLookup {
  readonly contactId: string;
  readonly phone: string;
}

/** What a lookup found: a line type, or nothing (the carrier could not tell; the row stays NULL). */
export interface LookupOutcome {
  readonly contactId: string;
  readonly lineType: LineType | null;
}

/** How far a campaign's call list is in knowing its line types. */
export interface LineTypeProgress {
  readonly total: number;
  /** The voter file gave it: kept as it is, never looked up. */
  readonly fromVoterFile: number;
  /** The carrier told us. */
  readonly lookedUp: number;
  /** The carrier could not tell: NULL, treated as unknown (dialed only on a volunteer's or clicker's action). */
  readonly failed: number;
  /** No line type and no lookup finished yet (including those being looked up now). */
  readonly pending: number;
  /** Rows per line type as it stands; `notKnown` is NULL. */
  readonly byLineType: { readonly landline: number; readonly mobile: number; readonly voip: number; readonly unknown: number; readonly notKnown: number };
}

/**
 * What a lookup may tell more about: no line type, or the voter file's own "unknown" (most numbers it
 * cannot classify). A type the file knows, or one found before, is never looked up or overwritten.
 */
const NOT_KNOWN = `(line_type IS NULL OR line_type = 'unknown')`;

/** The campaign modes whose lists are looked up; a preview campaign's volunteers click every call anyway. */
const LOOKED_UP_MODES = `('power', 'predictive')`;

/**
 * The line-type fill's reads and writes on `campaign_contact`. A row is looked up only while its
 * line type is NULL, and claimed first (`line_type_lookup = 'claimed'`, in one statement with SKIP
 * LOCKED), so two workers never ask about one number; once found or failed it is never claimed
 * again. A claim older than `reclaimAfterSeconds` belonged to a worker that died mid-batch.
 */
@Injectable()
export class LineTypeFillRepository {
  /** Whether a campaign still wants its list looked up: power or predictive, and not finished. */
  async wantsLookups(manager: EntityManager, campaignId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM campaign WHERE id = $1 AND dial_mode IN ${LOOKED_UP_MODES} AND status <> 'finished' AND channel = 'phone'`,
      [campaignId],
    );
    return rows.length > 0;
  }

  async claimBatch(manager: EntityManager, campaignId: string, batchSize: number, reclaimAfterSeconds: number): Promise<ClaimedLookup[]> {
    // An UPDATE answers [rows, count] through TypeORM: returnedRows takes the rows.
    return returnedRows<ClaimedLookup>(
      await manager.query(
        `WITH batch AS (
         SELECT id FROM campaign_contact
          WHERE campaign_id = $1 AND ${NOT_KNOWN}
            AND (line_type_lookup IS NULL OR (line_type_lookup = 'claimed' AND line_type_lookup_at < now() - make_interval(secs => $3)))
          ORDER BY id
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE campaign_contact cc SET line_type_lookup = 'claimed', line_type_lookup_at = now()
         FROM batch WHERE cc.id = batch.id
       RETURNING cc.id::text AS "contactId", cc.phone`,
        [campaignId, batchSize, reclaimAfterSeconds],
      ),
    );
  }

  /**
   * Stores what the lookups found, only on rows still claimed and still without a line type: a
   * line type set meanwhile (a voter file refreshed, an operator) is never overwritten.
   */
  async record(manager: EntityManager, outcomes: readonly LookupOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await manager.query(
      `UPDATE campaign_contact cc
          SET line_type = COALESCE(o.line_type, cc.line_type), line_type_lookup = CASE WHEN o.line_type IS NULL THEN 'failed' ELSE 'found' END,
              line_type_lookup_at = now()
         FROM unnest($1::bigint[], $2::text[]) AS o (id, line_type)
        WHERE cc.id = o.id AND (cc.line_type IS NULL OR cc.line_type = 'unknown') AND cc.line_type_lookup = 'claimed'`,
      [outcomes.map((outcome) => outcome.contactId), outcomes.map((outcome) => outcome.lineType)],
    );
  }

  async progress(manager: EntityManager, campaignId: string): Promise<LineTypeProgress> {
    const [row] = await manager.query<
      Array<Omit<LineTypeProgress, 'byLineType'> & { landline: number; mobile: number; voip: number; unknown: number; notKnown: number }>
    >(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE line_type IS NOT NULL AND line_type <> 'unknown' AND line_type_lookup IS NULL)::int AS "fromVoterFile",
              count(*) FILTER (WHERE line_type_lookup = 'found')::int AS "lookedUp",
              count(*) FILTER (WHERE line_type_lookup = 'failed')::int AS failed,
              count(*) FILTER (WHERE ${NOT_KNOWN} AND (line_type_lookup IS NULL OR line_type_lookup = 'claimed'))::int AS pending,
              count(*) FILTER (WHERE line_type = 'landline')::int AS landline,
              count(*) FILTER (WHERE line_type = 'mobile')::int AS mobile,
              count(*) FILTER (WHERE line_type = 'voip')::int AS voip,
              count(*) FILTER (WHERE line_type IS NOT NULL AND line_type NOT IN ('landline', 'mobile', 'voip'))::int AS unknown,
              count(*) FILTER (WHERE line_type IS NULL)::int AS "notKnown"
         FROM campaign_contact WHERE campaign_id = $1`,
      [campaignId],
    );
    const { landline, mobile, voip, unknown, notKnown, ...counts } = row;
    return { ...counts, byLineType: { landline, mobile, voip, unknown, notKnown } };
  }
}
