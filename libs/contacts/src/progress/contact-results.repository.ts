import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface ContactResultsFilter {
  readonly allianceId: string;
  /** The organizations whose attempts to include; null for the whole alliance. */
  readonly organizationIds: readonly string[] | null;
  readonly campaignId: string | null;
  /** Attempts from this day through `to` (YYYY-MM-DD, both inclusive), in `timeZone`. */
  readonly from: string | null;
  readonly to: string | null;
  readonly timeZone: string;
}

export interface ContactResultRow {
  readonly id: string;
  readonly sourceVoterId: string;
  readonly channel: 'phone' | 'sms';
  readonly disposition: string;
  readonly createdAt: Date;
  readonly organizationName: string;
  readonly campaignName: string;
  readonly answers: readonly { readonly questionKey: string; readonly answer: string }[];
}

/** Saved contact attempts with their survey answers, a page at a time, for the contact-results export. */
@Injectable()
export class ContactResultsRepository {
  /**
   * One page after `after` (an attempt id), in id order: the primary key walks the table once over
   * all pages, whatever the filter. A voter the reader's row scope hides leaves its attempts out.
   */
  page(manager: EntityManager, filter: ContactResultsFilter, after: string | null, limit: number): Promise<ContactResultRow[]> {
    return manager.query(
      `SELECT a.id::text, v.source_voter_id AS "sourceVoterId", a.channel::text AS channel, a.disposition, a.created_at AS "createdAt",
              o.name AS "organizationName", k.name AS "campaignName",
              COALESCE((SELECT json_agg(json_build_object('questionKey', r.question_key, 'answer', r.answer) ORDER BY r.question_key)
                          FROM survey_response r WHERE r.contact_attempt_id = a.id), '[]'::json) AS answers
         FROM contact_attempt a
         JOIN voter v ON v.alliance_id = a.alliance_id AND v.id = a.voter_id
         JOIN organization o ON o.id = a.organization_id
         JOIN campaign k ON k.id = a.campaign_id
        WHERE a.alliance_id = $1
          AND ($2::uuid[] IS NULL OR a.organization_id = ANY ($2::uuid[]))
          AND ($3::uuid IS NULL OR a.campaign_id = $3)
          AND ($4::date IS NULL OR a.created_at >= ($4::date::timestamp AT TIME ZONE $8))
          AND ($5::date IS NULL OR a.created_at < (($5::date + 1)::timestamp AT TIME ZONE $8))
          AND ($6::uuid IS NULL OR a.id > $6)
        ORDER BY a.id
        LIMIT $7`,
      [filter.allianceId, filter.organizationIds, filter.campaignId, filter.from, filter.to, after, limit, filter.timeZone],
    );
  }

  /** A campaign of the alliance by slug: its id, or null. */
  async campaignId(manager: EntityManager, allianceId: string, slug: string): Promise<string | null> {
    const [row]: { id: string }[] = await manager.query(`SELECT id::text FROM campaign WHERE alliance_id = $1 AND slug = $2`, [allianceId, slug]);
    return row?.id ?? null;
  }
}
