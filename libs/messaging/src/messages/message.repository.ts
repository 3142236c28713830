import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';
import type { MessageStatus } from './message-status';

export type OutboundMessageKind = 'initial' | 'reply' | 'help_reply' | 'opt_out_reply' | 'opt_in_reply';

export interface MessageRecord {
  readonly id: string;
  readonly allianceId: string | null;
  readonly campaignId: string | null;
  readonly organizationId: string | null;
  readonly conversationId: string | null;
  readonly direction: 'outbound' | 'inbound';
  readonly kind: OutboundMessageKind | 'inbound';
  readonly idempotencyKey: string;
  readonly voterPhone: string;
  readonly ourNumber: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly segmentKey: string | null;
  readonly status: MessageStatus;
  readonly providerMessageSid: string | null;
  readonly sendAttempts: number;
  readonly sendAfter: Date | null;
  readonly validityPeriodSeconds: number | null;
  readonly errorCode: string | null;
  readonly sentByUserId: string | null;
  readonly createdAt: Date;
  readonly requestedAt: Date | null;
  readonly updatedAt: Date;
}

/** What the sender needs besides the row: the voter's time zone and the campaign's window. */
export interface MessageToSend extends MessageRecord {
  readonly timeZone: string | null;
  readonly windowStart: string;
  readonly windowEnd: string;
}

export interface NewOutboundMessage {
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly conversationId: string;
  readonly kind: OutboundMessageKind;
  readonly idempotencyKey: string;
  readonly voterPhone: string;
  readonly ourNumber: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly segmentKey: string | null;
  readonly sentByUserId: string | null;
}

export interface NewInboundMessage {
  readonly allianceId: string | null;
  readonly campaignId: string | null;
  readonly organizationId: string | null;
  readonly conversationId: string | null;
  readonly voterPhone: string;
  readonly ourNumber: string;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly providerMessageSid: string;
  readonly provider: string;
  readonly receivedAt: Date;
}

export const MESSAGE_COLUMNS = `m.id, m.alliance_id AS "allianceId", m.campaign_id AS "campaignId", m.organization_id AS "organizationId",
  m.conversation_id AS "conversationId", m.direction, m.kind, m.idempotency_key AS "idempotencyKey", m.voter_phone AS "voterPhone",
  m.our_number AS "ourNumber", m.messaging_service_sid AS "messagingServiceSid", m.body, m.segment_key AS "segmentKey", m.status,
  m.provider_message_sid AS "providerMessageSid", m.send_attempts AS "sendAttempts", m.send_after AS "sendAfter",
  m.validity_period_seconds AS "validityPeriodSeconds", m.error_code AS "errorCode", m.sent_by_user_id AS "sentByUserId",
  m.created_at AS "createdAt", m.requested_at AS "requestedAt", m.updated_at AS "updatedAt"`;

/** Why a text may not go to a phone, in the order they are reported. */
export interface PhoneBlocks {
  readonly optedOut: boolean;
  readonly doNotCall: boolean;
  /** wrong_number, invalid_number, not_mobile or unreachable; null when the phone is fine. */
  readonly phoneStatus: string | null;
}

/** Texts, in and out. Every write that changes a text's status is guarded by the status it leaves. */
@Injectable()
export class MessageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Writes an outbound text once: a repeat of its idempotency key (or a second initial text to the
   * same phone in the campaign) returns the text already there, with `created` false.
   */
  async insertOutbound(manager: EntityManager, message: NewOutboundMessage): Promise<{ message: MessageRecord; created: boolean }> {
    const inserted: MessageRecord[] = await manager.query(
      `INSERT INTO message AS m (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone,
                                 our_number, messaging_service_sid, body, segment_key, status, sent_by_user_id)
       VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7, $8, $9, $10, $11, 'created', $12)
       ON CONFLICT DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
      [
        message.allianceId,
        message.campaignId,
        message.organizationId,
        message.conversationId,
        message.kind,
        message.idempotencyKey,
        message.voterPhone,
        message.ourNumber,
        message.messagingServiceSid,
        message.body,
        message.segmentKey,
        message.sentByUserId,
      ],
    );
    if (inserted[0]) return { message: inserted[0], created: true };
    const existing: MessageRecord[] = await manager.query(
      `SELECT ${MESSAGE_COLUMNS} FROM message m
        WHERE m.idempotency_key = $1 OR (m.kind = 'initial' AND $2 = 'initial' AND m.campaign_id = $3 AND m.voter_phone = $4)
        ORDER BY (m.idempotency_key = $1) DESC LIMIT 1`,
      [message.idempotencyKey, message.kind, message.campaignId, message.voterPhone],
    );
    if (!existing[0]) throw new Error('a text conflicted on insert but was not found');
    return { message: existing[0], created: false };
  }

  /** An inbound text, once per carrier sid. */
  async insertInbound(manager: EntityManager, message: NewInboundMessage): Promise<{ message: MessageRecord; created: boolean }> {
    const inserted: MessageRecord[] = await manager.query(
      `INSERT INTO message AS m (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone,
                                 our_number, messaging_service_sid, body, status, provider, provider_message_sid, created_at, final_at)
       VALUES ($1, $2, $3, $4, 'inbound', 'inbound', 'inbound:' || $9, $5, $6, $7, $8, 'received', $10, $9, $11, $11)
       ON CONFLICT DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
      [
        message.allianceId,
        message.campaignId,
        message.organizationId,
        message.conversationId,
        message.voterPhone,
        message.ourNumber,
        message.messagingServiceSid,
        message.body,
        message.providerMessageSid,
        message.provider,
        message.receivedAt,
      ],
    );
    if (inserted[0]) return { message: inserted[0], created: true };
    const existing: MessageRecord[] = await manager.query(`SELECT ${MESSAGE_COLUMNS} FROM message m WHERE m.provider_message_sid = $1`, [
      message.providerMessageSid,
    ]);
    return { message: existing[0], created: false };
  }

  async findToSend(messageId: string): Promise<MessageToSend | null> {
    const rows: MessageToSend[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS}, cc.time_zone AS "timeZone", to_char(ca.calling_window_start, 'HH24:MI') AS "windowStart",
              to_char(ca.calling_window_end, 'HH24:MI') AS "windowEnd"
         FROM message m
         JOIN conversation c ON c.id = m.conversation_id
         JOIN campaign_contact cc ON cc.id = c.campaign_contact_id
         JOIN campaign ca ON ca.id = m.campaign_id
        WHERE m.id = $1 AND m.direction = 'outbound'`,
      [messageId],
    );
    return rows[0] ?? null;
  }

  async lockForUpdate(manager: EntityManager, messageId: string): Promise<MessageRecord | null> {
    const rows: MessageRecord[] = await manager.query(`SELECT ${MESSAGE_COLUMNS} FROM message m WHERE m.id = $1 FOR UPDATE`, [messageId]);
    return rows[0] ?? null;
  }

  /** What stops any text to the phone: an opt-out (texts or all), do-not-call, or a phone known to be wrong. */
  async blocksFor(manager: EntityManager, allianceId: string, phone: string): Promise<PhoneBlocks> {
    const rows: PhoneBlocks[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM opt_out WHERE alliance_id = $1 AND phone = $2 AND channel IN ('sms', 'all')) AS "optedOut",
              EXISTS (SELECT 1 FROM do_not_call WHERE alliance_id = $1 AND phone = $2) AS "doNotCall",
              (SELECT status FROM phone_status WHERE alliance_id = $1 AND phone = $2) AS "phoneStatus"`,
      [allianceId, phone],
    );
    return rows[0];
  }

  /** Keeps a phone the carrier said can never get a text (invalid, not mobile) against the alliance; once. */
  async markPhoneStatus(manager: EntityManager, allianceId: string, phone: string, status: 'invalid_number' | 'not_mobile'): Promise<void> {
    await manager.query(`INSERT INTO phone_status (alliance_id, phone, status) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [allianceId, phone, status]);
  }

  /** Moves an unsent text to `requesting`; null when another sender got there first or it is no longer unsent. */
  async claim(manager: EntityManager, messageId: string, validityPeriodSeconds: number): Promise<MessageRecord | null> {
    const result: unknown = await manager.query(
      `UPDATE message m SET status = 'requesting', requested_at = now(), updated_at = now(), send_attempts = send_attempts + 1,
              validity_period_seconds = $2, send_after = NULL
        WHERE m.id = $1 AND m.status IN ('created', 'held') RETURNING ${MESSAGE_COLUMNS}`,
      [messageId, validityPeriodSeconds],
    );
    return returnedRows<MessageRecord>(result)[0] ?? null;
  }

  /** The carrier took it: its sid and status (the first callbacks may already have moved it further). */
  async markAccepted(manager: EntityManager, messageId: string, provider: string, sid: string, status: MessageStatus, from: string | null): Promise<void> {
    await manager.query(
      `UPDATE message SET provider = $2, provider_message_sid = $3, our_number = coalesce(our_number, $5), updated_at = now(),
              status = CASE WHEN status = 'requesting' THEN $4 ELSE status END
        WHERE id = $1`,
      [messageId, provider, sid, status, from],
    );
  }

  /** The carrier refused before taking it: back to unsent, to be tried after `sendAfter`. */
  async release(manager: EntityManager, messageId: string, sendAfter: Date, errorCode: string | null, errorMessage: string): Promise<void> {
    await manager.query(
      `UPDATE message SET status = 'created', send_after = $2, error_code = $3, error_message = $4, updated_at = now()
        WHERE id = $1 AND status = 'requesting'`,
      [messageId, sendAfter, errorCode, errorMessage],
    );
  }

  /** Ends an unsent or requested text for good: failed (the carrier refused it) or canceled (we did). */
  async finish(manager: EntityManager, messageId: string, status: 'failed' | 'canceled', errorCode: string | null, errorMessage: string): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE message m SET status = $2, error_code = $3, error_message = $4, updated_at = now(), final_at = now()
        WHERE m.id = $1 AND m.status IN ('created', 'held', 'requesting') RETURNING m.id`,
      [messageId, status, errorCode, errorMessage],
    );
    return returnedRows(result).length > 0;
  }

  /** Waits for the voter's window (held) or for its sending slot (created, later): the sweep leaves it alone until then. */
  async postpone(messageId: string, status: 'created' | 'held', sendAfter: Date): Promise<void> {
    await this.dataSource.query(`UPDATE message SET status = $2, send_after = $3, updated_at = now() WHERE id = $1 AND status IN ('created', 'held')`, [
      messageId,
      status,
      sendAfter,
    ]);
  }

  /** A carrier status callback's effect, already judged to move the text forward. */
  async applyStatus(
    manager: EntityManager,
    messageId: string,
    change: { status: MessageStatus; sid: string; from: string | null; errorCode: string | null; errorMessage: string | null; final: boolean },
  ): Promise<void> {
    await manager.query(
      `UPDATE message SET status = $2, provider_message_sid = coalesce(provider_message_sid, $3), our_number = coalesce(our_number, $4),
              error_code = coalesce($5, error_code), error_message = coalesce($6, error_message), updated_at = now(),
              final_at = CASE WHEN $7 THEN now() ELSE final_at END
        WHERE id = $1`,
      [messageId, change.status, change.sid, change.from, change.errorCode, change.errorMessage, change.final],
    );
  }

  /** Texts the sweep must look at: requests that outlived their worker, unsent texts whose job is overdue. */
  async findStranded(olderThan: Date, limit: number): Promise<{ requesting: string[]; unsent: string[] }> {
    const rows: { id: string; status: string }[] = await this.dataSource.query(
      `(SELECT id, status FROM message WHERE status = 'requesting' AND updated_at < $1 ORDER BY updated_at LIMIT $2)
       UNION ALL
       (SELECT id, status FROM message WHERE status IN ('created', 'held') AND updated_at < $1 AND coalesce(send_after, updated_at) < $1
         ORDER BY updated_at LIMIT $2)`,
      [olderThan, limit],
    );
    return {
      requesting: rows.filter((row) => row.status === 'requesting').map((row) => row.id),
      unsent: rows.filter((row) => row.status !== 'requesting').map((row) => row.id),
    };
  }

  /** Whether a carrier sid is already some text's (a recovered request must not adopt another text's sid). */
  async sidTaken(manager: EntityManager, sid: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM message WHERE provider_message_sid = $1`, [sid]);
    return rows.length > 0;
  }
}
