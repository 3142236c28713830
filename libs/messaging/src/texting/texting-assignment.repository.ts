import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface AssignmentRequest {
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly texterUserId: string;
  readonly requestedCount: number;
  /** The campaign's numbers, spread over contacts by id; empty when a Messaging Service picks. */
  readonly sendingNumbers: readonly string[];
  readonly messagingServiceSid: string | null;
  /** Phones another campaign texted lately (found with the alliance's access): skipped. */
  readonly suppressedPhones: readonly string[];
}

export interface AssignedBatch {
  readonly assignmentId: string | null;
  readonly assignedCount: number;
}

/** What a texter still has to do in a campaign before they may ask for more. */
export interface TexterBacklog {
  readonly needsMessage: number;
  readonly needsResponse: number;
}

/**
 * Handing a campaign's call list to texters in batches. Every query runs inside the texter's
 * row-scoped transaction, so the row policies keep another organization's contacts out of reach.
 */
@Injectable()
export class TextingAssignmentRepository {
  /**
   * Serializes one texter's requests in one campaign (a double click asks twice): the backlog check
   * and the batch are then one step. Released with the transaction.
   */
  async lockTexter(manager: EntityManager, campaignId: string, texterUserId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('texting-assignment:' || $1 || ':' || $2, 0))`, [campaignId, texterUserId]);
  }

  async backlog(manager: EntityManager, campaignId: string, texterUserId: string): Promise<TexterBacklog> {
    const [row]: TexterBacklog[] = await manager.query(
      `SELECT count(*) FILTER (WHERE status = 'needs_message')::int AS "needsMessage",
              count(*) FILTER (WHERE status = 'needs_response')::int AS "needsResponse"
         FROM conversation WHERE campaign_id = $1 AND texter_user_id = $2 AND status IN ('needs_message', 'needs_response')`,
      [campaignId, texterUserId],
    );
    return row;
  }

  /**
   * Takes up to `requestedCount` open contacts nobody has a conversation with, skipping phones that
   * are opted out of texts, on the do-not-call list, known to be wrong, already sent this
   * campaign's initial text, or suppressed.
   *
   * Batches of one campaign and organization are handed out one at a time (a transaction lock):
   * with texters asking at once, a statement that began before another batch committed would take
   * that batch's contacts for free and come back short, even empty while contacts remain, which
   * tells a texter the campaign is done when it is not. A batch is a few milliseconds and a texter
   * asks once per batch, so the wait is short. Rows are still locked SKIP LOCKED so a contact
   * being closed elsewhere is passed over rather than waited for.
   */
  async assignBatch(manager: EntityManager, request: AssignmentRequest): Promise<AssignedBatch> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('texting-batches:' || $1 || ':' || $2, 0))`, [
      request.campaignId,
      request.organizationId,
    ]);
    const candidates = await this.lockCandidates(manager, request, request.requestedCount);
    if (candidates.length === 0) return { assignmentId: null, assignedCount: 0 };
    const assignmentId = await this.insertAssignment(manager, request);
    const assignedCount = await this.insertConversations(manager, request, assignmentId, candidates);
    await manager.query(`UPDATE texting_assignment SET assigned_count = $2 WHERE id = $1`, [assignmentId, assignedCount]);
    return { assignmentId, assignedCount };
  }

  private async lockCandidates(manager: EntityManager, request: AssignmentRequest, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT cc.id::text
         FROM campaign_contact cc
        WHERE cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.campaign_contact_id = cc.id)
          AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.alliance_id = cc.alliance_id AND o.phone = cc.phone AND o.channel IN ('sms', 'all'))
          AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.alliance_id = cc.alliance_id AND d.phone = cc.phone)
          AND NOT EXISTS (SELECT 1 FROM phone_status p WHERE p.alliance_id = cc.alliance_id AND p.phone = cc.phone)
          AND NOT EXISTS (SELECT 1 FROM message m WHERE m.campaign_id = cc.campaign_id AND m.voter_phone = cc.phone AND m.kind = 'initial')
          AND NOT (cc.phone = ANY ($3::text[]))
        ORDER BY cc.id
        LIMIT $4
        FOR UPDATE OF cc SKIP LOCKED`,
      [request.campaignId, request.organizationId, request.suppressedPhones, limit],
    );
    return rows.map((row) => row.id);
  }

  private async insertAssignment(manager: EntityManager, request: AssignmentRequest): Promise<string> {
    const [{ id }]: { id: string }[] = await manager.query(
      `INSERT INTO texting_assignment (alliance_id, campaign_id, organization_id, texter_user_id, requested_count, assigned_count)
       VALUES ($1, $2, $3, $4, $5, 0) RETURNING id`,
      [request.allianceId, request.campaignId, request.organizationId, request.texterUserId, request.requestedCount],
    );
    return id;
  }

  /** One conversation per contact; our number is the contact id modulo the campaign's numbers, so they share the load evenly. */
  private async insertConversations(manager: EntityManager, request: AssignmentRequest, assignmentId: string, contactIds: readonly string[]): Promise<number> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO conversation (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number,
                                 messaging_service_sid, texting_assignment_id, texter_user_id, status)
       SELECT cc.alliance_id, cc.campaign_id, cc.organization_id, cc.id, cc.voter_id, cc.phone,
              CASE WHEN $5::text IS NULL THEN ($4::text[])[(cc.id % cardinality($4::text[]))::int + 1] END,
              $5, $2, $3, 'needs_message'
         FROM campaign_contact cc WHERE cc.id = ANY ($1::bigint[])
        ORDER BY cc.id
       ON CONFLICT (campaign_contact_id) DO NOTHING RETURNING 1`,
      [contactIds, assignmentId, request.texterUserId, request.sendingNumbers, request.messagingServiceSid],
    );
    return inserted.length;
  }

  /**
   * Phones of the organization's open contacts that another campaign of the alliance texted since
   * `since`. Run with the alliance's access (another organization's texts count too); it answers
   * only which of the organization's own phones to skip.
   */
  async suppressedPhones(manager: EntityManager, campaignId: string, organizationId: string, since: Date): Promise<string[]> {
    const rows: { phone: string }[] = await manager.query(
      `SELECT DISTINCT cc.phone
         FROM campaign_contact cc
         JOIN message m ON m.alliance_id = cc.alliance_id AND m.voter_phone = cc.phone
        WHERE cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.status = 'open'
          AND m.direction = 'outbound' AND m.campaign_id <> $1 AND m.created_at >= $3 AND m.status NOT IN ('failed', 'canceled')
          AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.campaign_contact_id = cc.id)`,
      [campaignId, organizationId, since],
    );
    return rows.map((row) => row.phone);
  }

  /** Of `organizationIds`, those holding turf in the campaign now (an alliance-wide program is texted by them). */
  async organizationsWithTurf(manager: EntityManager, campaignId: string, organizationIds: readonly string[]): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT DISTINCT organization_id AS id FROM turf_assignment
        WHERE campaign_id = $1 AND organization_id = ANY ($2::uuid[]) AND ended_at IS NULL ORDER BY organization_id`,
      [campaignId, organizationIds],
    );
    return rows.map((row) => row.id);
  }
}
