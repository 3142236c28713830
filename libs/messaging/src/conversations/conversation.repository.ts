import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';

export type ConversationStatus = 'needs_message' | 'messaged' | 'needs_response' | 'closed';
export type ConversationClosedReason = 'texter' | 'opted_out' | 'undeliverable' | 'invalid_number' | 'not_mobile' | 'suppressed' | 'window';

export interface ConversationMatch {
  readonly id: string;
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: ConversationStatus;
  readonly sendingNumber: string | null;
  readonly messagingServiceSid: string | null;
}

/** The conversation side of texting that the worker needs: matching inbound texts and closing phones that cannot be texted. */
@Injectable()
export class ConversationRepository {
  /**
   * The conversation an inbound text belongs to: the voter's phone and our number (or Messaging
   * Service), the one we last wrote from; Spoke's "orphan" replies came from matching on less.
   */
  async matchInbound(manager: EntityManager, voterPhone: string, ourNumber: string, messagingServiceSid: string | null): Promise<ConversationMatch | null> {
    const rows: ConversationMatch[] = await manager.query(
      `SELECT id, alliance_id AS "allianceId", campaign_id AS "campaignId", organization_id AS "organizationId", status,
              sending_number AS "sendingNumber", messaging_service_sid AS "messagingServiceSid"
         FROM conversation
        WHERE voter_phone = $1 AND (sending_number = $2 OR ($3::text IS NOT NULL AND messaging_service_sid = $3))
        ORDER BY last_outbound_at DESC NULLS LAST, created_at DESC LIMIT 1`,
      [voterPhone, ourNumber, messagingServiceSid],
    );
    return rows[0] ?? null;
  }

  async recordInbound(manager: EntityManager, conversationId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE conversation SET last_inbound_at = greatest(last_inbound_at, $2), updated_at = now(),
              status = CASE WHEN status = 'closed' THEN status ELSE 'needs_response' END
        WHERE id = $1`,
      [conversationId, at],
    );
  }

  /** Learns the number a Messaging Service picked, so replies match and later texts keep it. */
  async learnSendingNumber(manager: EntityManager, conversationId: string, ourNumber: string): Promise<void> {
    await manager.query(`UPDATE conversation SET sending_number = $2 WHERE id = $1 AND sending_number IS NULL`, [conversationId, ourNumber]);
  }

  /** Closes the phone's open conversations in the alliance; returns how many. */
  async closeForPhone(manager: EntityManager, allianceId: string, voterPhone: string, reason: ConversationClosedReason): Promise<number> {
    const result: unknown = await manager.query(
      `UPDATE conversation SET status = 'closed', closed_reason = $3, updated_at = now()
        WHERE alliance_id = $1 AND voter_phone = $2 AND status <> 'closed' RETURNING 1`,
      [allianceId, voterPhone, reason],
    );
    return returnedRows(result).length;
  }
}
