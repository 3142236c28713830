import { Injectable } from '@nestjs/common';
import { returnedRows } from '@app/database';
import type { CallStatus } from '@app/telephony';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';
import type { EntityManager } from 'typeorm';

/** A call-list row leased to one volunteer's session: nobody else is handed it until the lease ends. */
export interface LeasedContact {
  readonly contactId: string;
  readonly leaseId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly voterId: string;
  readonly householdSize: number;
  readonly phone: string;
  readonly timeZone: string | null;
  readonly attempts: number;
  readonly leasedUntil: Date;
}

/** A lease as it stands: whose session holds it and whether the row is still open. */
export type HeldLease = LeasedContact & { readonly leasedSessionId: string | null; readonly status: string };

/** What a disposition needs of the call placed for a lease. */
export interface LeaseCall {
  readonly id: string;
  readonly status: CallStatus;
  readonly answeredBy: string | null;
  readonly createdAt: Date;
}

export interface LeaseRequest {
  readonly campaignId: string;
  readonly organizationId: string;
  readonly sessionId: string;
  /** Zones whose calling window is open now. */
  readonly openTimeZones: readonly string[];
  /** Whether voters of unknown zone may be called now (the window is open in every US zone). */
  readonly unknownZoneOpen: boolean;
  readonly leaseSeconds: number;
}

const LEASED_COLUMNS = `cc.id::text AS "contactId", cc.lease_id AS "leaseId", cc.campaign_id AS "campaignId", cc.organization_id AS "organizationId",
  cc.voter_id::text AS "voterId", cardinality(cc.household_voter_ids) AS "householdSize", cc.phone, cc.time_zone AS "timeZone",
  cc.attempts, cc.leased_until AS "leasedUntil"`;

/**
 * Hands out call-list rows. Every statement runs in the volunteer's organization-scoped
 * transaction, so row security keeps other organizations' voters out of reach.
 */
@Injectable()
export class CallListLeaseRepository {
  /**
   * The session's lease, in one statement: its current one renewed (a reload or second tab gets the
   * same voter back) or, when it holds none and `mayLeaseNew`, the next callable row: open, due,
   * inside its zone's window, and its phone on no do-not-call, opt-out or wrong-number list and in
   * no live call. SKIP LOCKED lets concurrent volunteers pass each other's candidates instead of
   * waiting or taking the same one; moving next_attempt_at past the lease keeps the row off
   * everyone's list until the lease ends.
   */
  async renewOrLeaseNext(
    manager: EntityManager,
    request: LeaseRequest & { readonly mayLeaseNew: boolean },
  ): Promise<(LeasedContact & { renewed: boolean }) | null> {
    const rows = await manager.query<Array<LeasedContact & { renewed: boolean }>>(
      `WITH renewed AS (
         UPDATE campaign_contact cc SET leased_until = now() + make_interval(secs => $6), next_attempt_at = now() + make_interval(secs => $6), updated_at = now()
          WHERE cc.leased_session_id = $5 AND cc.status = 'open' AND cc.leased_until > now()
         RETURNING ${LEASED_COLUMNS}, true AS renewed),
       candidate AS (
         SELECT cc.id FROM campaign_contact cc
          WHERE $7::boolean AND NOT EXISTS (SELECT 1 FROM renewed)
            AND cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.status = 'open' AND cc.next_attempt_at <= now()
            AND (cc.time_zone = ANY ($3::text[]) OR (cc.time_zone IS NULL AND $4::boolean))
            AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.alliance_id = cc.alliance_id AND d.phone = cc.phone)
            AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.alliance_id = cc.alliance_id AND o.phone = cc.phone AND o.channel IN ('phone', 'all'))
            AND NOT EXISTS (SELECT 1 FROM phone_status p WHERE p.alliance_id = cc.alliance_id AND p.phone = cc.phone)
            AND NOT EXISTS (SELECT 1 FROM call c WHERE c.alliance_id = cc.alliance_id AND c.to_phone = cc.phone AND c.status IN ${LIVE_CALL_STATUS_SQL})
          ORDER BY cc.next_attempt_at, cc.id
          LIMIT 1
          FOR UPDATE SKIP LOCKED),
       leased AS (
         UPDATE campaign_contact cc
            SET lease_id = gen_random_uuid(), leased_session_id = $5, leased_until = now() + make_interval(secs => $6),
                next_attempt_at = now() + make_interval(secs => $6), updated_at = now()
           FROM candidate WHERE cc.id = candidate.id
         RETURNING ${LEASED_COLUMNS}, false AS renewed)
       SELECT * FROM renewed UNION ALL SELECT * FROM leased`,
      [
        request.campaignId,
        request.organizationId,
        request.openTimeZones,
        request.unknownZoneOpen,
        request.sessionId,
        request.leaseSeconds,
        request.mayLeaseNew,
      ],
    );
    return rows[0] ?? null;
  }

  async findByLease(manager: EntityManager, leaseId: string): Promise<HeldLease | null> {
    const rows: HeldLease[] = await manager.query(
      `SELECT ${LEASED_COLUMNS}, cc.leased_session_id AS "leasedSessionId", cc.status FROM campaign_contact cc WHERE cc.lease_id = $1`,
      [leaseId],
    );
    return rows[0] ?? null;
  }

  /** The lease with the call placed for it, if any, in one statement: what a disposition is saved against. */
  async findByLeaseWithCall(manager: EntityManager, leaseId: string): Promise<(HeldLease & { call: LeaseCall | null }) | null> {
    const rows: Array<HeldLease & { callId: string | null; callStatus: CallStatus | null; answeredBy: string | null; callCreatedAt: Date | null }> =
      await manager.query(
        `SELECT ${LEASED_COLUMNS}, cc.leased_session_id AS "leasedSessionId", cc.status,
                c.id AS "callId", c.status AS "callStatus", c.answered_by AS "answeredBy", c.created_at AS "callCreatedAt"
           FROM campaign_contact cc LEFT JOIN call c ON c.lease_id = cc.lease_id
          WHERE cc.lease_id = $1`,
        [leaseId],
      );
    if (rows.length === 0) return null;
    const { callId, callStatus, answeredBy, callCreatedAt, ...lease } = rows[0];
    return { ...lease, call: callId === null ? null : { id: callId, status: callStatus!, answeredBy, createdAt: callCreatedAt! } };
  }

  /** Gives the row back as it was (skip, pause, end): callable again at once. */
  async release(manager: EntityManager, sessionId: string, leaseId?: string): Promise<number> {
    const rows = returnedRows<unknown>(
      await manager.query(
        `UPDATE campaign_contact SET lease_id = NULL, leased_session_id = NULL, leased_until = NULL, next_attempt_at = now(), updated_at = now()
        WHERE leased_session_id = $1 AND ($2::uuid IS NULL OR lease_id = $2) AND status = 'open' RETURNING 1`,
        [sessionId, leaseId ?? null],
      ),
    );
    return rows.length;
  }

  /** Whether any row is due and free, whatever its zone: tells "outside their hours" from "nobody left". */
  async anyDue(manager: EntityManager, campaignId: string, organizationId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM campaign_contact WHERE campaign_id = $1 AND organization_id = $2 AND status = 'open' AND next_attempt_at <= now() LIMIT 1`,
      [campaignId, organizationId],
    );
    return rows.length > 0;
  }
}
