import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CallableNow, PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';

/** How the pacer's dials may be filled: which call-list rows each kind may take. */
export type DialKind = 'automatic' | 'approved' | 'volunteer-initiated';

export interface DialRequest {
  readonly pool: PacingPool;
  readonly callable: CallableNow;
  readonly kind: DialKind;
  readonly count: number;
  readonly leaseSeconds: number;
  readonly provider: string;
}

/** A call row written for a leased call-list row, before anyone asks the carrier. */
export interface DialedLine {
  readonly callId: string;
  readonly contactId: string;
  readonly lineType: string | null;
}

const AUTOMATIC_ALLOWED = `(COALESCE(cc.line_type, 'unknown') = 'landline' OR cc.dial_consent)`;

/**
 * Leases call-list rows to the dialer itself (no volunteer yet: `leased_session_id` stays NULL until
 * the answer hands the lease to whoever takes the call) and writes their `call` rows, in one
 * statement per kind. The lease is the attempt, and `call.lease_id` is unique: whatever repeats,
 * one attempt gets one call. Rows are chosen as the phone bank chooses them (open, due, inside their
 * zone's window, on no do-not-call, opt-out or wrong-number list, in no live call), SKIP LOCKED so
 * two pools never wait on each other; automatic dials take only landlines and consented numbers
 * (and the database refuses anything else), approved dials take what a clicker approved, once.
 */
@Injectable()
export class DialerLeaseRepository {
  async leaseAndWriteCalls(manager: EntityManager, request: DialRequest): Promise<DialedLine[]> {
    if (request.count <= 0) return [];
    const { pool, callable } = request;
    const approvedOnly = request.kind === 'approved';
    const rows: DialedLine[] = await manager.query(
      `WITH candidate AS (
         SELECT cc.id FROM campaign_contact cc
          WHERE cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.status = 'open' AND cc.next_attempt_at <= now()
            AND (cc.time_zone = ANY ($3::text[]) OR (cc.time_zone IS NULL AND $4::boolean))
            AND ($7 <> 'automatic' OR ${AUTOMATIC_ALLOWED})
            AND (NOT $8::boolean OR EXISTS (SELECT 1 FROM dial_approval da WHERE da.campaign_contact_id = cc.id AND da.used_at IS NULL AND da.expires_at > now()))
            AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.alliance_id = cc.alliance_id AND d.phone = cc.phone)
            AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.alliance_id = cc.alliance_id AND o.phone = cc.phone AND o.channel IN ('phone', 'all'))
            AND NOT EXISTS (SELECT 1 FROM phone_status p WHERE p.alliance_id = cc.alliance_id AND p.phone = cc.phone)
            AND NOT EXISTS (SELECT 1 FROM call c WHERE c.alliance_id = cc.alliance_id AND c.to_phone = cc.phone AND c.status IN ${LIVE_CALL_STATUS_SQL})
          ORDER BY cc.next_attempt_at, cc.id
          LIMIT $5
          FOR UPDATE SKIP LOCKED),
       leased AS (
         UPDATE campaign_contact cc
            SET lease_id = gen_random_uuid(), leased_session_id = NULL, leased_until = now() + make_interval(secs => $6),
                next_attempt_at = now() + make_interval(secs => $6), updated_at = now()
           FROM candidate WHERE cc.id = candidate.id
         RETURNING cc.*),
       called AS (
         INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, lease_id, to_phone, from_phone, provider,
                           dial_kind, line_type, dial_consent, voter_local_minute)
         SELECT l.alliance_id, l.campaign_id, l.organization_id, l.id, l.lease_id, l.phone,
                k.caller_ids[1 + (l.id % cardinality(k.caller_ids))::int], $9, $7, l.line_type, l.dial_consent,
                CASE WHEN l.time_zone IS NOT NULL
                     THEN (extract(hour FROM now() AT TIME ZONE l.time_zone) * 60 + extract(minute FROM now() AT TIME ZONE l.time_zone))::smallint END
           FROM leased l JOIN campaign k ON k.id = l.campaign_id AND cardinality(k.caller_ids) > 0
         RETURNING id, campaign_contact_id, line_type),
       -- runs whether or not it is read, as every data-modifying WITH does
       approvals AS (
         UPDATE dial_approval da SET call_id = called.id, used_at = now()
           FROM called WHERE $8::boolean AND da.campaign_contact_id = called.campaign_contact_id AND da.used_at IS NULL)
       SELECT called.id AS "callId", called.campaign_contact_id::text AS "contactId", called.line_type AS "lineType" FROM called`,
      [
        pool.campaignId,
        pool.organizationId,
        callable.openTimeZones,
        callable.unknownZoneOpen,
        request.count,
        request.leaseSeconds,
        request.kind,
        approvedOnly,
        request.provider,
      ],
    );
    return rows;
  }
}
