import { Injectable } from '@nestjs/common';
import { returnedRows } from '@app/database';
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

const LIVE_CALL_STATUSES = `('created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress')`;

const LEASED_COLUMNS = `cc.id::text AS "contactId", cc.lease_id AS "leaseId", cc.campaign_id AS "campaignId", cc.organization_id AS "organizationId",
  cc.voter_id::text AS "voterId", cardinality(cc.household_voter_ids) AS "householdSize", cc.phone, cc.time_zone AS "timeZone",
  cc.attempts, cc.leased_until AS "leasedUntil"`;

/**
 * Hands out call-list rows. Every statement runs in the volunteer's organization-scoped
 * transaction, so row security keeps other organizations' voters out of reach.
 */
@Injectable()
export class CallListLeaseRepository {
  /** The session's current lease, renewed: a reload or second tab gets the same voter back. */
  async renewCurrent(manager: EntityManager, sessionId: string, leaseSeconds: number): Promise<LeasedContact | null> {
    const rows = returnedRows<LeasedContact>(
      await manager.query(
        `UPDATE campaign_contact cc SET leased_until = now() + make_interval(secs => $2), next_attempt_at = now() + make_interval(secs => $2), updated_at = now()
        WHERE cc.leased_session_id = $1 AND cc.status = 'open' AND cc.leased_until > now()
        RETURNING ${LEASED_COLUMNS}`,
        [sessionId, leaseSeconds],
      ),
    );
    return rows[0] ?? null;
  }

  /**
   * Leases the next callable row: open, due, inside its zone's window, and its phone on no
   * do-not-call, opt-out or wrong-number list and in no live call. SKIP LOCKED lets concurrent
   * volunteers pass each other's candidates instead of waiting or taking the same one; moving
   * next_attempt_at past the lease keeps the row off everyone's list until the lease ends.
   */
  async leaseNext(manager: EntityManager, request: LeaseRequest): Promise<LeasedContact | null> {
    const rows = returnedRows<LeasedContact>(
      await manager.query(
        `WITH candidate AS (
         SELECT cc.id FROM campaign_contact cc
          WHERE cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.status = 'open' AND cc.next_attempt_at <= now()
            AND (cc.time_zone = ANY ($3::text[]) OR (cc.time_zone IS NULL AND $4::boolean))
            AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.alliance_id = cc.alliance_id AND d.phone = cc.phone)
            AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.alliance_id = cc.alliance_id AND o.phone = cc.phone AND o.channel IN ('phone', 'all'))
            AND NOT EXISTS (SELECT 1 FROM phone_status p WHERE p.alliance_id = cc.alliance_id AND p.phone = cc.phone)
            AND NOT EXISTS (SELECT 1 FROM call c WHERE c.alliance_id = cc.alliance_id AND c.to_phone = cc.phone AND c.status IN ${LIVE_CALL_STATUSES})
          ORDER BY cc.next_attempt_at, cc.id
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
       UPDATE campaign_contact cc
          SET lease_id = gen_random_uuid(), leased_session_id = $5, leased_until = now() + make_interval(secs => $6),
              next_attempt_at = now() + make_interval(secs => $6), updated_at = now()
         FROM candidate WHERE cc.id = candidate.id
       RETURNING ${LEASED_COLUMNS}`,
        [request.campaignId, request.organizationId, request.openTimeZones, request.unknownZoneOpen, request.sessionId, request.leaseSeconds],
      ),
    );
    return rows[0] ?? null;
  }

  async findByLease(manager: EntityManager, leaseId: string): Promise<(LeasedContact & { leasedSessionId: string | null; status: string }) | null> {
    const rows: (LeasedContact & { leasedSessionId: string | null; status: string })[] = await manager.query(
      `SELECT ${LEASED_COLUMNS}, cc.leased_session_id AS "leasedSessionId", cc.status FROM campaign_contact cc WHERE cc.lease_id = $1`,
      [leaseId],
    );
    return rows[0] ?? null;
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
