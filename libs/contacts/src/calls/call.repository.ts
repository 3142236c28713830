import { Injectable } from '@nestjs/common';
import { returnedRows } from '@app/database';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CallStatus } from '@app/telephony';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';

export interface CallRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly campaignId: string;
  readonly campaignContactId: string;
  readonly callingSessionId: string | null;
  readonly leaseId: string;
  readonly toPhone: string;
  readonly fromPhone: string;
  readonly provider: string;
  readonly providerCallSid: string | null;
  readonly status: CallStatus;
  readonly answeredBy: string | null;
  readonly answeredAt: Date | null;
  readonly durationSeconds: number | null;
  readonly lastSequenceNumber: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly hangupRequestedAt: Date | null;
  readonly createdAt: Date;
  readonly endedAt: Date | null;
  /** preview (a volunteer clicked call), or how the dialer started it: volunteer-initiated, automatic, approved. */
  readonly dialKind: string;
  /** When the carrier started it ringing (its first initiated or ringing event): a dialer line's age runs from here. */
  readonly ringingAt: Date | null;
}

export interface NewCall {
  readonly allianceId: string;
  readonly campaignId: string;
  readonly campaignContactId: string;
  readonly callingSessionId: string;
  readonly leaseId: string;
  readonly toPhone: string;
  readonly fromPhone: string;
  readonly provider: string;
}

export interface CallStatusChange {
  readonly status: CallStatus;
  readonly answeredBy: string | null;
  readonly answeredAt: Date | null;
  readonly durationSeconds: number | null;
  readonly lastSequenceNumber: number | null;
  readonly endedAt: Date | null;
  readonly ringingAt?: Date | null;
}

const COLUMNS = `id, alliance_id AS "allianceId", campaign_id AS "campaignId", campaign_contact_id::text AS "campaignContactId",
  calling_session_id AS "callingSessionId", lease_id AS "leaseId", to_phone AS "toPhone", from_phone AS "fromPhone", provider,
  provider_call_sid AS "providerCallSid", status, answered_by AS "answeredBy", answered_at AS "answeredAt", duration_seconds AS "durationSeconds",
  last_sequence_number AS "lastSequenceNumber", error_code AS "errorCode", error_message AS "errorMessage",
  hangup_requested_at AS "hangupRequestedAt", created_at AS "createdAt", ended_at AS "endedAt", dial_kind AS "dialKind", ringing_at AS "ringingAt"`;

@Injectable()
export class CallRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Writes the call row for a lease before anyone asks the carrier. The lease is unique, so a
   * double click finds the first call; a phone already in a live call (another campaign, another
   * volunteer) gets none: `conflict` says why. The advisory lock serialises the check per phone until
   * the caller's transaction ends.
   */
  async insertForLease(manager: EntityManager, call: NewCall): Promise<{ call: CallRecord; created: boolean } | { conflict: 'phone_in_call' }> {
    // The lock first: a double click's second request waits here for the first's transaction, then
    // finds its call below instead of taking it for another live call to the same phone.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || $2, 0))`, [call.allianceId, call.toPhone]);
    const existing: CallRecord[] = await manager.query(`SELECT ${COLUMNS} FROM call WHERE lease_id = $1`, [call.leaseId]);
    if (existing[0]) return { call: existing[0], created: false };
    const live: unknown[] = await manager.query(`SELECT 1 FROM call WHERE alliance_id = $1 AND to_phone = $2 AND status IN ${LIVE_CALL_STATUS_SQL} LIMIT 1`, [
      call.allianceId,
      call.toPhone,
    ]);
    if (live.length > 0) return { conflict: 'phone_in_call' as const };
    // The organization, line type and consent come from the call-list row: the evidence records what was dialed, as it was.
    const rows: CallRecord[] = await manager.query(
      `INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, calling_session_id, lease_id, to_phone, from_phone, provider, line_type, dial_consent)
       SELECT $1, $2, cc.organization_id, cc.id, $4, $5, $6, $7, $8, cc.line_type, cc.dial_consent FROM campaign_contact cc WHERE cc.id = $3
       ON CONFLICT (lease_id) DO NOTHING RETURNING ${COLUMNS}`,
      [call.allianceId, call.campaignId, call.campaignContactId, call.callingSessionId, call.leaseId, call.toPhone, call.fromPhone, call.provider],
    );
    if (rows[0]) return { call: rows[0], created: true };
    const raced: CallRecord[] = await manager.query(`SELECT ${COLUMNS} FROM call WHERE lease_id = $1`, [call.leaseId]);
    return { call: raced[0], created: false };
  }

  async findById(callId: string, manager: EntityManager = this.dataSource.manager): Promise<CallRecord | null> {
    const rows: CallRecord[] = await manager.query(`SELECT ${COLUMNS} FROM call WHERE id = $1`, [callId]);
    return rows[0] ?? null;
  }

  async findByLease(leaseId: string, manager: EntityManager = this.dataSource.manager): Promise<CallRecord | null> {
    const rows: CallRecord[] = await manager.query(`SELECT ${COLUMNS} FROM call WHERE lease_id = $1`, [leaseId]);
    return rows[0] ?? null;
  }

  /** Claims a call for asking the carrier: only a `created` call moves, so only one job ever asks. */
  async claimForRequest(callId: string): Promise<CallRecord | null> {
    const rows = returnedRows<CallRecord>(
      await this.dataSource.query(`UPDATE call SET status = 'requesting', updated_at = now() WHERE id = $1 AND status = 'created' RETURNING ${COLUMNS}`, [
        callId,
      ]),
    );
    return rows[0] ?? null;
  }

  /** Gives a claimed call back when the carrier answered that it made nothing (a 429 or 5xx), so a retry may ask again. */
  async unclaim(callId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE call SET status = 'created', updated_at = now() WHERE id = $1 AND status = 'requesting' AND provider_call_sid IS NULL`,
      [callId],
    );
  }

  /** Stores the carrier's id; a callback that already moved the call on keeps its status. */
  async recordPlaced(callId: string, providerCallSid: string): Promise<CallRecord | null> {
    const rows = returnedRows<CallRecord>(
      await this.dataSource.query(
        `UPDATE call SET provider_call_sid = $2, status = CASE WHEN status = 'requesting' THEN 'queued' ELSE status END, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
        [callId, providerCallSid],
      ),
    );
    return rows[0] ?? null;
  }

  async recordFailed(callId: string, errorCode: string | null, errorMessage: string): Promise<CallRecord | null> {
    const rows = returnedRows<CallRecord>(
      await this.dataSource.query(
        `UPDATE call SET status = 'failed', error_code = $2, error_message = $3, ended_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ${LIVE_CALL_STATUS_SQL} RETURNING ${COLUMNS}`,
        [callId, errorCode, errorMessage.slice(0, 500)],
      ),
    );
    return rows[0] ?? null;
  }

  /** A hang-up before the carrier was asked: nothing to tell it, the call just never happens. */
  async cancelUnplaced(callId: string): Promise<CallRecord | null> {
    const rows = returnedRows<CallRecord>(
      await this.dataSource.query(
        `UPDATE call SET status = 'canceled', ended_at = now(), updated_at = now() WHERE id = $1 AND status = 'created' RETURNING ${COLUMNS}`,
        [callId],
      ),
    );
    return rows[0] ?? null;
  }

  /** Marks a live call of the session for hanging up; null when the session has no such call or it has ended. */
  async requestHangup(callId: string, callingSessionId: string): Promise<CallRecord | null> {
    const rows = returnedRows<CallRecord>(
      await this.dataSource.query(
        `UPDATE call SET hangup_requested_at = COALESCE(hangup_requested_at, now()), updated_at = now()
          WHERE id = $1 AND calling_session_id = $2 AND ended_at IS NULL RETURNING ${COLUMNS}`,
        [callId, callingSessionId],
      ),
    );
    return rows[0] ?? null;
  }

  async lockForUpdate(manager: EntityManager, callId: string): Promise<CallRecord | null> {
    const rows: CallRecord[] = await manager.query(`SELECT ${COLUMNS} FROM call WHERE id = $1 FOR UPDATE`, [callId]);
    return rows[0] ?? null;
  }

  /** `providerCallSid` fills a sid a worker never stored (it died between asking the carrier and writing the answer). */
  async applyChange(manager: EntityManager, callId: string, change: CallStatusChange, providerCallSid: string): Promise<CallRecord> {
    const rows = returnedRows<CallRecord>(
      await manager.query(
        `UPDATE call SET status = $2, answered_by = $3, answered_at = $4, duration_seconds = $5, last_sequence_number = $6, ended_at = $7,
                ringing_at = COALESCE(ringing_at, $8), provider_call_sid = COALESCE(provider_call_sid, $9), updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          callId,
          change.status,
          change.answeredBy,
          change.answeredAt,
          change.durationSeconds,
          change.lastSequenceNumber,
          change.endedAt,
          change.ringingAt ?? null,
          providerCallSid,
        ],
      ),
    );
    return rows[0];
  }
}
