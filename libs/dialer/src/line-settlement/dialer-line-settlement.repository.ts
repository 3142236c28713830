import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RetryPolicy } from '@app/campaigns';
import { type CallStatus, ENDED_CALL_STATUS_SQL } from '@app/telephony';
import type { PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';

/** A line the dialer placed that ended before any volunteer had it, with the call-list row it still holds. */
export interface EndedDialerLine {
  readonly callId: string;
  readonly status: CallStatus;
  readonly answeredBy: string | null;
  readonly abandoned: boolean;
  /** False for a call canceled before the carrier was asked: the voter's phone never rang, so it is no attempt. */
  readonly reachedCarrier: boolean;
  readonly createdAt: Date;
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly contactId: string;
  readonly leaseId: string;
  readonly voterId: string;
  readonly phone: string;
  readonly attempts: number;
  readonly retryPolicy: Partial<RetryPolicy> | null;
  readonly scriptVersion: number;
}

const LINE_COLUMNS = `c.id AS "callId", c.status, c.answered_by AS "answeredBy", c.abandoned_at IS NOT NULL AS abandoned,
  NOT (c.status = 'canceled' AND c.provider_call_sid IS NULL) AS "reachedCarrier", c.created_at AS "createdAt",
  cc.alliance_id AS "allianceId", cc.campaign_id AS "campaignId", cc.organization_id AS "organizationId", cc.id::text AS "contactId",
  cc.lease_id AS "leaseId", cc.voter_id::text AS "voterId", cc.phone, cc.attempts, k.retry_policy AS "retryPolicy", k.script_version AS "scriptVersion"`;

/**
 * Finds the dialer's ended lines whose call-list row it still holds, and locks those rows. SKIP
 * LOCKED: the tick and the event handler may settle the same line at once; one of them does it,
 * and the other, finding the lease gone, has nothing left to do.
 */
@Injectable()
export class DialerLineSettlementRepository {
  async lockEndedLinesOfPool(manager: EntityManager, pool: PacingPool, limit: number): Promise<EndedDialerLine[]> {
    return manager.query(
      `SELECT ${LINE_COLUMNS}
         FROM campaign_contact cc JOIN call c ON c.lease_id = cc.lease_id JOIN campaign k ON k.id = cc.campaign_id
        WHERE cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.lease_id IS NOT NULL AND cc.leased_session_id IS NULL
          AND c.calling_session_id IS NULL AND c.status IN ${ENDED_CALL_STATUS_SQL}
        ORDER BY c.created_at LIMIT $3
          FOR UPDATE OF cc SKIP LOCKED`,
      [pool.campaignId, pool.organizationId, limit],
    );
  }

  async lockEndedLine(manager: EntityManager, callId: string): Promise<EndedDialerLine | null> {
    const rows: EndedDialerLine[] = await manager.query(
      `SELECT ${LINE_COLUMNS}
         FROM call c JOIN campaign_contact cc ON cc.lease_id = c.lease_id AND cc.leased_session_id IS NULL JOIN campaign k ON k.id = cc.campaign_id
        WHERE c.id = $1 AND c.dial_kind <> 'preview' AND c.calling_session_id IS NULL AND c.status IN ${ENDED_CALL_STATUS_SQL}
          FOR UPDATE OF cc SKIP LOCKED`,
      [callId],
    );
    return rows[0] ?? null;
  }

  /** The voter goes back on the list at once, their attempts untouched. */
  async releaseUnplaced(manager: EntityManager, line: EndedDialerLine): Promise<void> {
    await manager.query(
      `UPDATE campaign_contact SET lease_id = NULL, leased_session_id = NULL, leased_until = NULL, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND lease_id = $2`,
      [line.contactId, line.leaseId],
    );
  }
}
