import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One organization's figures in a text campaign, as the row policies let the reader see them. */
export interface OrganizationTextingRow {
  readonly organizationId: string;
  readonly organizationName: string | null;
  readonly contacts: number;
  readonly assigned: number;
  readonly initialSent: number;
  readonly needsResponse: number;
  readonly replies: number;
  readonly optOuts: number;
  readonly outboundByStatus: Readonly<Record<string, number>>;
  readonly failuresByErrorCode: readonly { readonly status: string; readonly errorCode: string | null; readonly count: number }[];
}

export interface UnmatchedInbound {
  readonly id: string;
  readonly voterPhone: string;
  readonly ourNumber: string | null;
  readonly body: string;
  readonly createdAt: Date;
  /** created_at as PostgreSQL prints it (microseconds kept), for the cursor. */
  readonly createdAtText: string;
}

/** A text campaign's live figures and the alliance's unmatched inbound texts. Runs inside the reader's row-scoped transaction. */
@Injectable()
export class TextingStatsRepository {
  async organizationFigures(manager: EntityManager, campaignId: string): Promise<OrganizationTextingRow[]> {
    const counts: Omit<OrganizationTextingRow, 'outboundByStatus' | 'failuresByErrorCode'>[] = await manager.query(
      `WITH contacts AS (
         SELECT organization_id, count(*)::int AS n FROM campaign_contact WHERE campaign_id = $1 GROUP BY organization_id
       ), conversations AS (
         SELECT organization_id, count(*)::int AS assigned, count(*) FILTER (WHERE status = 'needs_response')::int AS needs_response
           FROM conversation WHERE campaign_id = $1 GROUP BY organization_id
       ), messages AS (
         SELECT organization_id,
                count(*) FILTER (WHERE kind = 'initial')::int AS initial_sent,
                count(*) FILTER (WHERE direction = 'inbound')::int AS replies
           FROM message WHERE campaign_id = $1 GROUP BY organization_id
       ), opt_outs AS (
         -- A phone of the campaign's conversations that opted out of texts after its conversation began.
         SELECT c.organization_id, count(DISTINCT c.voter_phone)::int AS n
           FROM conversation c
           JOIN opt_out_event e ON e.alliance_id = c.alliance_id AND e.phone = c.voter_phone AND e.action = 'opt_out'
                                AND e.channel IN ('sms', 'all') AND e.created_at >= c.created_at
          WHERE c.campaign_id = $1 GROUP BY c.organization_id
       ), organizations AS (
         SELECT organization_id FROM contacts UNION SELECT organization_id FROM conversations UNION SELECT organization_id FROM messages
       )
       SELECT o.organization_id AS "organizationId", (SELECT name FROM organization WHERE id = o.organization_id) AS "organizationName",
              coalesce(contacts.n, 0) AS contacts, coalesce(conversations.assigned, 0) AS assigned,
              coalesce(messages.initial_sent, 0) AS "initialSent", coalesce(conversations.needs_response, 0) AS "needsResponse",
              coalesce(messages.replies, 0) AS replies, coalesce(opt_outs.n, 0) AS "optOuts"
         FROM organizations o
         LEFT JOIN contacts USING (organization_id)
         LEFT JOIN conversations USING (organization_id)
         LEFT JOIN messages USING (organization_id)
         LEFT JOIN opt_outs USING (organization_id)
        WHERE o.organization_id IS NOT NULL
        ORDER BY "organizationName", o.organization_id`,
      [campaignId],
    );
    const statuses: { organizationId: string; status: string; errorCode: string | null; count: number }[] = await manager.query(
      `SELECT organization_id AS "organizationId", status, CASE WHEN status IN ('failed', 'undelivered') THEN error_code END AS "errorCode",
              count(*)::int AS count
         FROM message WHERE campaign_id = $1 AND direction = 'outbound'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 NULLS FIRST`,
      [campaignId],
    );
    return counts.map((row) => {
      const own = statuses.filter((each) => each.organizationId === row.organizationId);
      const outboundByStatus: Record<string, number> = {};
      for (const each of own) outboundByStatus[each.status] = (outboundByStatus[each.status] ?? 0) + each.count;
      const failuresByErrorCode = own
        .filter((each) => each.status === 'failed' || each.status === 'undelivered')
        .map((each) => ({ status: each.status, errorCode: each.errorCode, count: each.count }));
      return { ...row, outboundByStatus, failuresByErrorCode };
    });
  }

  /** Inbound texts no conversation matched, newest first, before the cursor. */
  async unmatchedInbound(
    manager: EntityManager,
    allianceId: string,
    before: { createdAt: string; id: string } | null,
    limit: number,
  ): Promise<UnmatchedInbound[]> {
    return manager.query(
      `SELECT id, voter_phone AS "voterPhone", our_number AS "ourNumber", body, created_at AS "createdAt", created_at::text AS "createdAtText"
         FROM message
        WHERE alliance_id = $1 AND direction = 'inbound' AND conversation_id IS NULL
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [allianceId, before?.createdAt ?? null, before?.id ?? null, limit],
    );
  }
}
