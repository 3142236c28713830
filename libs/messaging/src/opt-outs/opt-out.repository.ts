import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';

export type OptOutSource = 'keyword' | 'carrier' | 'admin' | 'texter';

export interface OptOutChange {
  readonly allianceId: string;
  readonly phone: string;
  readonly source: OptOutSource;
  readonly messageId?: string | null;
  readonly actorUserId?: string | null;
  readonly reason?: string | null;
}

export interface OptOutEventRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly phone: string;
  readonly channel: string;
  readonly action: 'opt_out' | 'opt_in';
  readonly source: OptOutSource;
  readonly messageId: string | null;
  readonly actorUserId: string | null;
  readonly reason: string | null;
  readonly createdAt: Date;
}

/**
 * Text opt-outs: the current state in `opt_out` (what every send checks) and each change in
 * `opt_out_event`. Callers hold the phone's lock (PhoneLock) around a change.
 */
@Injectable()
export class OptOutRepository {
  /** Opts the phone out of texts; false when it already was. */
  async optOut(manager: EntityManager, change: OptOutChange): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO opt_out (alliance_id, phone, channel, source) VALUES ($1, $2, 'sms', $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [change.allianceId, change.phone, change.source],
    );
    if (inserted.length === 0) return false;
    await this.record(manager, change, 'opt_out');
    return true;
  }

  /** Lifts the phone's text opt-out (an opt-out of calls and texts together stays); false when there was none. */
  async optIn(manager: EntityManager, change: OptOutChange): Promise<boolean> {
    const deleted: unknown = await manager.query(`DELETE FROM opt_out WHERE alliance_id = $1 AND phone = $2 AND channel = 'sms' RETURNING 1`, [
      change.allianceId,
      change.phone,
    ]);
    if (returnedRows(deleted).length === 0) return false;
    await this.record(manager, change, 'opt_in');
    return true;
  }

  /** Whether the phone's opt-out state changed at or after `since` (a later keyword or admin action wins over an earlier one). */
  async changedSince(manager: EntityManager, allianceId: string, phone: string, since: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM opt_out_event WHERE alliance_id = $1 AND phone = $2 AND created_at >= $3 LIMIT 1`, [
      allianceId,
      phone,
      since,
    ]);
    return rows.length > 0;
  }

  async isOptedOut(manager: EntityManager, allianceId: string, phone: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM opt_out WHERE alliance_id = $1 AND phone = $2 AND channel IN ('sms', 'all')`, [
      allianceId,
      phone,
    ]);
    return rows.length > 0;
  }

  async history(manager: EntityManager, allianceId: string, phone: string): Promise<OptOutEventRecord[]> {
    return manager.query(
      `SELECT id::text, alliance_id AS "allianceId", phone, channel, action, source, message_id AS "messageId", actor_user_id AS "actorUserId",
              reason, created_at AS "createdAt"
         FROM opt_out_event WHERE alliance_id = $1 AND phone = $2 ORDER BY created_at DESC, id DESC`,
      [allianceId, phone],
    );
  }

  /** The alliances whose campaigns text from this number or Messaging Service, the latest campaign's first: a STOP to it opts out of all of them. */
  async alliancesTextingFrom(manager: EntityManager, ourNumber: string, messagingServiceSid: string | null): Promise<string[]> {
    const rows: { allianceId: string }[] = await manager.query(
      `SELECT alliance_id AS "allianceId" FROM campaign
        WHERE channel = 'sms' AND ($1 = ANY (sending_numbers) OR ($2::text IS NOT NULL AND messaging_service_sid = $2))
        GROUP BY alliance_id ORDER BY max(created_at) DESC`,
      [ourNumber, messagingServiceSid],
    );
    return rows.map((row) => row.allianceId);
  }

  /**
   * Names the inbound text behind the keyword events its webhook recorded before the text was
   * filed (the opt-out takes effect first): from then on each event says which conversation it ended.
   * Only in the alliances the text was written to (their phone index serves the match).
   */
  async linkKeywordEvents(manager: EntityManager, allianceIds: readonly string[], phone: string, messageId: string, receivedAt: Date): Promise<void> {
    if (allianceIds.length === 0) return;
    await manager.query(
      `UPDATE opt_out_event SET message_id = $3
        WHERE alliance_id = ANY ($1::uuid[]) AND phone = $2 AND source = 'keyword' AND message_id IS NULL
          AND created_at >= $4 AND created_at < $4::timestamptz + interval '10 minutes'`,
      [allianceIds, phone, messageId, receivedAt],
    );
  }

  private async record(manager: EntityManager, change: OptOutChange, action: 'opt_out' | 'opt_in'): Promise<void> {
    await manager.query(
      `INSERT INTO opt_out_event (alliance_id, phone, channel, action, source, message_id, actor_user_id, reason) VALUES ($1, $2, 'sms', $3, $4, $5, $6, $7)`,
      [change.allianceId, change.phone, action, change.source, change.messageId ?? null, change.actorUserId ?? null, change.reason ?? null],
    );
  }
}
