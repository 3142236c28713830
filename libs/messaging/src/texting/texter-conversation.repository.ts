import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';
import type { ConversationClosedReason, ConversationStatus } from '../conversations/conversation.repository';
import type { MessageStatus } from '../messages/message-status';
import { MESSAGE_COLUMNS, type MessageRecord } from '../messages/message.repository';

/** A texter's conversation with what rendering a text needs of its voter; the phone stays in the database layer's hands. */
export interface TexterConversation {
  readonly id: string;
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly organizationName: string | null;
  readonly campaignContactId: string;
  readonly voterId: string;
  readonly voterPhone: string;
  readonly sendingNumber: string | null;
  readonly messagingServiceSid: string | null;
  readonly texterUserId: string | null;
  readonly status: ConversationStatus;
  readonly closedReason: ConversationClosedReason | null;
  readonly timeZone: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly city: string | null;
  readonly birthYear: number | null;
  readonly lastInboundAt: Date | null;
  readonly lastOutboundAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ConversationListItem {
  readonly id: string;
  readonly status: ConversationStatus;
  readonly closedReason: ConversationClosedReason | null;
  readonly firstName: string | null;
  readonly voterPhone: string;
  readonly lastInboundAt: Date | null;
  readonly lastOutboundAt: Date | null;
  readonly updatedAt: Date;
  /** updated_at as PostgreSQL prints it (microseconds kept), for the cursor. */
  readonly updatedAtText: string;
  readonly lastMessage: { readonly direction: 'outbound' | 'inbound'; readonly body: string; readonly createdAt: Date } | null;
}

export interface ConversationMessage {
  readonly id: string;
  readonly direction: 'outbound' | 'inbound';
  readonly kind: string;
  readonly body: string;
  readonly status: MessageStatus;
  readonly errorCode: string | null;
  readonly sendAfter: Date | null;
  readonly createdAt: Date;
}

export interface TextingAttemptRecord {
  readonly id: string;
  readonly disposition: string;
  readonly createdAt: Date;
}

export interface NewTextingAttempt {
  readonly conversation: TexterConversation;
  readonly volunteerUserId: string;
  readonly disposition: string;
  readonly scriptVersion: number;
}

const CONVERSATION_COLUMNS = `c.id, c.alliance_id AS "allianceId", c.campaign_id AS "campaignId", c.organization_id AS "organizationId",
  (SELECT o.name FROM organization o WHERE o.id = c.organization_id) AS "organizationName",
  c.campaign_contact_id::text AS "campaignContactId", c.voter_id::text AS "voterId", c.voter_phone AS "voterPhone",
  c.sending_number AS "sendingNumber", c.messaging_service_sid AS "messagingServiceSid", c.texter_user_id AS "texterUserId", c.status,
  c.closed_reason AS "closedReason", cc.time_zone AS "timeZone", v.first_name AS "firstName", v.last_name AS "lastName", v.city,
  v.birth_year AS "birthYear", c.last_inbound_at AS "lastInboundAt", c.last_outbound_at AS "lastOutboundAt", c.created_at AS "createdAt",
  c.updated_at AS "updatedAt"`;

const CONVERSATION_FROM = `conversation c
  JOIN campaign_contact cc ON cc.id = c.campaign_contact_id
  LEFT JOIN voter v ON v.alliance_id = c.alliance_id AND v.id = c.voter_id`;

/**
 * A texter's own conversations: the next one to text, the inbox, one conversation's history, and
 * the status moves a texter's action makes. Each query names the texter, and runs inside the
 * texter's row-scoped transaction.
 */
@Injectable()
export class TexterConversationRepository {
  /**
   * Closes the texter's conversations still waiting for their initial text whose phone may no longer
   * be texted (a STOP, the do-not-call list or a known-bad number since they were assigned), so the
   * next one offered can be sent. Returns how many.
   */
  async closeBlockedAwaitingInitial(manager: EntityManager, campaignId: string, texterUserId: string): Promise<number> {
    const result: unknown = await manager.query(
      `UPDATE conversation c
          SET status = 'closed', updated_at = now(),
              closed_reason = CASE
                WHEN EXISTS (SELECT 1 FROM opt_out o WHERE o.alliance_id = c.alliance_id AND o.phone = c.voter_phone AND o.channel IN ('sms', 'all'))
                  OR EXISTS (SELECT 1 FROM do_not_call d WHERE d.alliance_id = c.alliance_id AND d.phone = c.voter_phone) THEN 'opted_out'
                ELSE (SELECT CASE p.status WHEN 'invalid_number' THEN 'invalid_number' WHEN 'not_mobile' THEN 'not_mobile' ELSE 'undeliverable' END
                        FROM phone_status p WHERE p.alliance_id = c.alliance_id AND p.phone = c.voter_phone)
              END
        WHERE c.campaign_id = $1 AND c.texter_user_id = $2 AND c.status = 'needs_message'
          AND (EXISTS (SELECT 1 FROM opt_out o WHERE o.alliance_id = c.alliance_id AND o.phone = c.voter_phone AND o.channel IN ('sms', 'all'))
            OR EXISTS (SELECT 1 FROM do_not_call d WHERE d.alliance_id = c.alliance_id AND d.phone = c.voter_phone)
            OR EXISTS (SELECT 1 FROM phone_status p WHERE p.alliance_id = c.alliance_id AND p.phone = c.voter_phone))
        RETURNING 1`,
      [campaignId, texterUserId],
    );
    return returnedRows(result).length;
  }

  /** The texter's oldest conversation still waiting for its initial text, and how many wait in all. */
  async nextAwaitingInitial(
    manager: EntityManager,
    campaignId: string,
    texterUserId: string,
  ): Promise<{ conversation: TexterConversation | null; waiting: number }> {
    const rows: TexterConversation[] = await manager.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM ${CONVERSATION_FROM}
        WHERE c.campaign_id = $1 AND c.texter_user_id = $2 AND c.status = 'needs_message'
        ORDER BY c.created_at, c.campaign_contact_id LIMIT 1`,
      [campaignId, texterUserId],
    );
    const [{ waiting }]: { waiting: number }[] = await manager.query(
      `SELECT count(*)::int AS waiting FROM conversation WHERE campaign_id = $1 AND texter_user_id = $2 AND status = 'needs_message'`,
      [campaignId, texterUserId],
    );
    return { conversation: rows[0] ?? null, waiting };
  }

  /** The texter's conversation, locked for the change about to be made to it; null when it is not theirs (or not visible). */
  async lockOwn(manager: EntityManager, conversationId: string, texterUserId: string): Promise<TexterConversation | null> {
    const rows: TexterConversation[] = await manager.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM ${CONVERSATION_FROM} WHERE c.id = $1 AND c.texter_user_id = $2 FOR UPDATE OF c`,
      [conversationId, texterUserId],
    );
    return rows[0] ?? null;
  }

  async findOwn(manager: EntityManager, conversationId: string, texterUserId: string): Promise<TexterConversation | null> {
    const rows: TexterConversation[] = await manager.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM ${CONVERSATION_FROM} WHERE c.id = $1 AND c.texter_user_id = $2`,
      [conversationId, texterUserId],
    );
    return rows[0] ?? null;
  }

  /** The texter's conversations in one status, least recently changed first (the longest-waiting reply on top), after the cursor. */
  async listOwn(
    manager: EntityManager,
    query: { campaignId: string; texterUserId: string; status: ConversationStatus; after: { updatedAt: string; id: string } | null; limit: number },
  ): Promise<ConversationListItem[]> {
    return manager.query(
      `SELECT c.id, c.status, c.closed_reason AS "closedReason", v.first_name AS "firstName", c.voter_phone AS "voterPhone",
              c.last_inbound_at AS "lastInboundAt", c.last_outbound_at AS "lastOutboundAt", c.updated_at AS "updatedAt",
              c.updated_at::text AS "updatedAtText",
              (SELECT json_build_object('direction', m.direction, 'body', m.body, 'createdAt', m.created_at)
                 FROM message m WHERE m.conversation_id = c.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS "lastMessage"
         FROM conversation c
         LEFT JOIN voter v ON v.alliance_id = c.alliance_id AND v.id = c.voter_id
        WHERE c.campaign_id = $1 AND c.texter_user_id = $2 AND c.status = $3
          AND ($4::timestamptz IS NULL OR (c.updated_at, c.id) > ($4::timestamptz, $5::uuid))
        ORDER BY c.updated_at, c.id
        LIMIT $6`,
      [query.campaignId, query.texterUserId, query.status, query.after?.updatedAt ?? null, query.after?.id ?? null, query.limit],
    );
  }

  /** Every text in and out of the conversation, in the order they were written. */
  async messagesOf(manager: EntityManager, conversationId: string): Promise<ConversationMessage[]> {
    return manager.query(
      `SELECT id, direction, kind, body, status, error_code AS "errorCode", send_after AS "sendAfter", created_at AS "createdAt"
         FROM message WHERE conversation_id = $1 ORDER BY created_at, id`,
      [conversationId],
    );
  }

  /** The texter sent a text: the conversation now waits for the voter. A closed one stays closed. */
  async markMessaged(manager: EntityManager, conversationId: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE conversation SET status = CASE WHEN status = 'closed' THEN status ELSE 'messaged' END,
              last_outbound_at = greatest(last_outbound_at, $2), updated_at = now()
        WHERE id = $1`,
      [conversationId, at],
    );
  }

  async close(manager: EntityManager, conversationId: string, reason: ConversationClosedReason): Promise<void> {
    await manager.query(`UPDATE conversation SET status = 'closed', closed_reason = $2, updated_at = now() WHERE id = $1 AND status <> 'closed'`, [
      conversationId,
      reason,
    ]);
  }

  /** The attempt a conversation's close recorded (its lease id is the conversation's id), or null. */
  async attemptOf(manager: EntityManager, conversationId: string): Promise<TextingAttemptRecord | null> {
    const rows: TextingAttemptRecord[] = await manager.query(`SELECT id, disposition, created_at AS "createdAt" FROM contact_attempt WHERE lease_id = $1`, [
      conversationId,
    ]);
    return rows[0] ?? null;
  }

  /** Records the conversation's contact attempt once; null when a concurrent close recorded it first. */
  async insertAttempt(manager: EntityManager, attempt: NewTextingAttempt): Promise<TextingAttemptRecord | null> {
    const { conversation } = attempt;
    const rows: TextingAttemptRecord[] = await manager.query(
      `INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, volunteer_user_id,
                                    lease_id, outcome, disposition, script_version, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'sms', $7, $8, NULL, $9, $10, $11)
       ON CONFLICT DO NOTHING RETURNING id, disposition, created_at AS "createdAt"`,
      [
        conversation.allianceId,
        conversation.campaignId,
        conversation.organizationId,
        conversation.campaignContactId,
        conversation.voterId,
        conversation.voterPhone,
        attempt.volunteerUserId,
        conversation.id,
        attempt.disposition,
        attempt.scriptVersion,
        conversation.lastOutboundAt ?? conversation.createdAt,
      ],
    );
    return rows[0] ?? null;
  }

  /** The call-list row is done: the conversation that worked it is over. */
  async finishContact(manager: EntityManager, campaignContactId: string, disposition: string): Promise<void> {
    await manager.query(
      `UPDATE campaign_contact SET status = 'done', closed_reason = $2, last_disposition = $2, updated_at = now() WHERE id = $1 AND status = 'open'`,
      [campaignContactId, disposition],
    );
  }

  /** A text already written under this idempotency key, or null. */
  async messageByKey(manager: EntityManager, idempotencyKey: string): Promise<MessageRecord | null> {
    const rows: MessageRecord[] = await manager.query(`SELECT ${MESSAGE_COLUMNS} FROM message m WHERE m.idempotency_key = $1`, [idempotencyKey]);
    return rows[0] ?? null;
  }

  /** Whether the phone opted out of texts, or is on the do-not-call list. */
  async blocksOf(manager: EntityManager, allianceId: string, phone: string): Promise<{ optedOut: boolean; doNotCall: boolean }> {
    const [row]: { optedOut: boolean; doNotCall: boolean }[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM opt_out WHERE alliance_id = $1 AND phone = $2 AND channel IN ('sms', 'all')) AS "optedOut",
              EXISTS (SELECT 1 FROM do_not_call WHERE alliance_id = $1 AND phone = $2) AS "doNotCall"`,
      [allianceId, phone],
    );
    return row;
  }

  /** Whether the texter has this conversation (run in an alliance's scope, to find which of theirs holds it). */
  async isTexters(manager: EntityManager, conversationId: string, texterUserId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM conversation WHERE id = $1 AND texter_user_id = $2`, [conversationId, texterUserId]);
    return rows.length > 0;
  }
}
