import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';
import type { CallingWindow } from '@app/campaigns';
import type { CallableNow } from '../pacing-snapshot/dialer-snapshot.repository';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';

/** The call list a clicker works: one campaign's rows of one organization (the calling session's). */
export interface ApprovalPool {
  readonly campaignId: string;
  readonly organizationId: string;
}

export interface ApprovalCampaign {
  readonly status: string;
  readonly dialMode: string;
  readonly callingWindow: CallingWindow;
}

/** What a clicker sees of a voter before approving the dial: enough to recognise a wrong row, nothing to misuse. */
export interface VoterToApprove {
  readonly campaignContactId: string;
  readonly firstName: string | null;
  readonly city: string | null;
  readonly phoneLast4: string;
  /** NULL (never looked up, or the lookup failed) counts as unknown. */
  readonly lineType: string | null;
}

export interface ApprovalContact {
  readonly campaignContactId: string;
  readonly lineType: string | null;
  readonly dialConsent: boolean;
}

export interface DialApprovalRecord {
  readonly id: string;
  readonly campaignContactId: string;
  readonly approvedAt: Date;
  readonly expiresAt: Date;
}

/**
 * A call-list row that waits for a clicker: the pool's, open, due, not leased, inside its zone's
 * window now, on no do-not-call, opt-out or wrong-number list, in no live call (what the dialer's
 * lease asks of an approved dial), and not one the pacer may dial by itself (a landline, or a
 * number with documented consent). Parameters: $1 campaign, $2 organization, $3 open zones, $4 unknown zone open.
 */
const AWAITS_APPROVAL = `cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.status = 'open' AND cc.next_attempt_at <= now() AND cc.lease_id IS NULL
  AND (cc.time_zone = ANY ($3::text[]) OR (cc.time_zone IS NULL AND $4::boolean))
  AND NOT (COALESCE(cc.line_type, 'unknown') = 'landline' OR cc.dial_consent)
  AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.alliance_id = cc.alliance_id AND d.phone = cc.phone)
  AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.alliance_id = cc.alliance_id AND o.phone = cc.phone AND o.channel IN ('phone', 'all'))
  AND NOT EXISTS (SELECT 1 FROM phone_status p WHERE p.alliance_id = cc.alliance_id AND p.phone = cc.phone)
  AND NOT EXISTS (SELECT 1 FROM call c WHERE c.alliance_id = cc.alliance_id AND c.to_phone = cc.phone AND c.status IN ${LIVE_CALL_STATUS_SQL})`;

/** An approval still waiting for its dial. */
const OPEN_APPROVAL = `da.used_at IS NULL AND da.expires_at > now()`;

/**
 * Clickers' approvals (`dial_approval`): the next voter waiting for one, and the approval itself.
 * Every method runs in the calling session's organization scope, so row security keeps a clicker
 * to their own organization's call list whatever id they send.
 */
@Injectable()
export class DialApprovalRepository {
  async campaignOf(manager: EntityManager, campaignId: string): Promise<ApprovalCampaign | null> {
    const rows: Array<{ status: string; dialMode: string; windowStart: string; windowEnd: string }> = await manager.query(
      `SELECT status, dial_mode AS "dialMode", calling_window_start::text AS "windowStart", calling_window_end::text AS "windowEnd"
         FROM campaign WHERE id = $1`,
      [campaignId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return { status: row.status, dialMode: row.dialMode, callingWindow: { startMinute: minutesOf(row.windowStart), endMinute: minutesOf(row.windowEnd) } };
  }

  /** The first row (in the list's own order) awaiting approval and not approved yet, with what the clicker sees of its voter. */
  async nextToApprove(manager: EntityManager, pool: ApprovalPool, callable: CallableNow): Promise<VoterToApprove | null> {
    const rows: VoterToApprove[] = await manager.query(
      `SELECT cc.id::text AS "campaignContactId", v.first_name AS "firstName", v.city, right(cc.phone, 4) AS "phoneLast4", cc.line_type AS "lineType"
         FROM campaign_contact cc
         LEFT JOIN voter v ON v.alliance_id = cc.alliance_id AND v.id = cc.voter_id
        WHERE ${AWAITS_APPROVAL}
          AND NOT EXISTS (SELECT 1 FROM dial_approval da WHERE da.campaign_contact_id = cc.id AND ${OPEN_APPROVAL})
        ORDER BY cc.next_attempt_at, cc.id
        LIMIT 1`,
      [pool.campaignId, pool.organizationId, callable.openTimeZones, callable.unknownZoneOpen],
    );
    return rows[0] ?? null;
  }

  /** The pool's row with this id, or null (another campaign's, another organization's, or none). */
  async contact(manager: EntityManager, pool: ApprovalPool, campaignContactId: string): Promise<ApprovalContact | null> {
    const rows: ApprovalContact[] = await manager.query(
      `SELECT cc.id::text AS "campaignContactId", cc.line_type AS "lineType", cc.dial_consent AS "dialConsent"
         FROM campaign_contact cc WHERE cc.id = $3 AND cc.campaign_id = $1 AND cc.organization_id = $2`,
      [pool.campaignId, pool.organizationId, campaignContactId],
    );
    return rows[0] ?? null;
  }

  async awaitsApproval(manager: EntityManager, pool: ApprovalPool, callable: CallableNow, campaignContactId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM campaign_contact cc WHERE cc.id = $5 AND ${AWAITS_APPROVAL}`, [
      pool.campaignId,
      pool.organizationId,
      callable.openTimeZones,
      callable.unknownZoneOpen,
      campaignContactId,
    ]);
    return rows.length > 0;
  }

  async openApproval(manager: EntityManager, campaignContactId: string): Promise<DialApprovalRecord | null> {
    const rows: DialApprovalRecord[] = await manager.query(
      `SELECT da.id, da.campaign_contact_id::text AS "campaignContactId", da.approved_at AS "approvedAt", da.expires_at AS "expiresAt"
         FROM dial_approval da WHERE da.campaign_contact_id = $1 AND ${OPEN_APPROVAL}`,
      [campaignContactId],
    );
    return rows[0] ?? null;
  }

  /**
   * A new approval, or an expired unused one renewed (one open approval per row, by a unique
   * index). Null when another click's approval, still open, got there first.
   */
  async insert(
    manager: EntityManager,
    approval: {
      readonly allianceId: string;
      readonly pool: ApprovalPool;
      readonly campaignContactId: string;
      readonly userId: string;
      readonly validSeconds: number;
    },
  ): Promise<DialApprovalRecord | null> {
    // Safe whichever shape TypeORM answers in (rows, or [rows, count] when the upsert updated).
    const rows = returnedRows<DialApprovalRecord>(
      await manager.query(
        `INSERT INTO dial_approval (alliance_id, campaign_id, organization_id, campaign_contact_id, approved_by_user_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))
       ON CONFLICT (campaign_contact_id) WHERE used_at IS NULL DO UPDATE
          SET approved_at = now(), expires_at = EXCLUDED.expires_at, approved_by_user_id = EXCLUDED.approved_by_user_id
        WHERE dial_approval.expires_at <= now()
       RETURNING id, campaign_contact_id::text AS "campaignContactId", approved_at AS "approvedAt", expires_at AS "expiresAt"`,
        [approval.allianceId, approval.pool.campaignId, approval.pool.organizationId, approval.campaignContactId, approval.userId, approval.validSeconds],
      ),
    );
    return rows[0] ?? null;
  }

  /** Approvals this user gave in the pool since a moment (their session's start). */
  async countApprovedBy(manager: EntityManager, pool: ApprovalPool, userId: string, since: Date): Promise<number> {
    const [row] = await manager.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM dial_approval WHERE campaign_id = $1 AND organization_id = $2 AND approved_by_user_id = $3 AND approved_at >= $4`,
      [pool.campaignId, pool.organizationId, userId, since],
    );
    return row.count;
  }
}

/** '20:30:00' → 1230. */
function minutesOf(clockTime: string): number {
  const [hours, minutes] = clockTime.split(':').map(Number);
  return hours * 60 + minutes;
}
