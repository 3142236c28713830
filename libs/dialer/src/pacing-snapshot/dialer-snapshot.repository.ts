import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CallingWindow } from '@app/campaigns';
import { DEFAULT_PACING_SETTINGS } from '../pacing/pacing-defaults.constant';
import type { DialingMode, LineState, LineView, PacingSnapshot } from '../pacing/pacing-snapshot';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';

/** One campaign's call list for one organization: what one pacer paces (volunteers only reach their organization's voters). */
export interface PacingPool {
  readonly campaignId: string;
  readonly organizationId: string;
}

/** When leads may be called now, as the phone bank's lease decides it. */
export interface CallableNow {
  /** Zones whose calling window is open now. */
  readonly openTimeZones: readonly string[];
  /** Whether voters of unknown zone may be called now (the window is open in every US zone). */
  readonly unknownZoneOpen: boolean;
}

/** The snapshot's parts the database knows (the learned statistics come from the pacing store), and the leads' window. */
export type PoolPicture = Omit<PacingSnapshot, 'statistics'> & {
  /** Which leads were counted as callable now: the lease must use the same. */
  readonly callable: CallableNow;
};

interface CampaignRow {
  readonly dialMode: string;
  readonly powerLinesPerVolunteer: number;
  readonly callsPerSecond: number;
  readonly maxLinesPerVolunteer: number;
  readonly abandonRateTarget: number;
  readonly windowStart: string;
  readonly windowEnd: string;
}

interface VolunteerRow {
  readonly id: string;
  readonly status: 'active' | 'paused';
  readonly dialerState: 'ready' | 'talking' | 'wrap-up' | 'leaving' | null;
  readonly since: Date;
}

interface LineRow {
  readonly id: string;
  readonly status: string;
  readonly answeredBy: string | null;
  readonly createdAt: Date;
  readonly ringingAt: Date | null;
}

const THIRTY_DAYS = `interval '30 days'`;

/**
 * Reads what the pacer needs to know of one pool from the database, in one transaction of the
 * pacing tick: settings, volunteers' dialer states, the lines no volunteer has yet, how many leads
 * may be dialed and by whom, and the campaign's 30-day abandonment record. Lead counts stop at
 * `leadCountCap`: the pacer never dials more in one tick, and counting a 100,000-row list every second would.
 */
@Injectable()
export class DialerSnapshotRepository {
  async pictureOf(
    manager: EntityManager,
    pool: PacingPool,
    callableIn: (window: CallingWindow) => CallableNow,
    leadCountCap: number,
  ): Promise<PoolPicture | null> {
    const campaigns: CampaignRow[] = await manager.query(
      `SELECT dial_mode AS "dialMode", power_lines_per_volunteer AS "powerLinesPerVolunteer", calls_per_second AS "callsPerSecond",
              max_lines_per_volunteer AS "maxLinesPerVolunteer", abandon_rate_target AS "abandonRateTarget",
              calling_window_start::text AS "windowStart", calling_window_end::text AS "windowEnd"
         FROM campaign WHERE id = $1 AND status = 'active' AND dial_mode IN ('power', 'predictive')`,
      [pool.campaignId],
    );
    const campaign = campaigns[0];
    if (campaign === undefined) return null;
    const callable = callableIn({ startMinute: minutesOf(campaign.windowStart), endMinute: minutesOf(campaign.windowEnd) });

    const volunteerRows: VolunteerRow[] = await manager.query(
      `SELECT id, status, dialer_state AS "dialerState",
              CASE WHEN status = 'paused' THEN paused_at ELSE COALESCE(dialer_state_since, started_at) END AS since
         FROM calling_session WHERE campaign_id = $1 AND organization_id = $2 AND status IN ('active', 'paused')`,
      [pool.campaignId, pool.organizationId],
    );
    const lineRows: LineRow[] = await manager.query(
      `SELECT id, status, answered_by AS "answeredBy", created_at AS "createdAt", ringing_at AS "ringingAt"
         FROM call
        WHERE campaign_id = $1 AND organization_id = $2 AND calling_session_id IS NULL AND status IN ${LIVE_CALL_STATUS_SQL}
          -- a machine being hung up on, or a human already told no one is free, needs no volunteer
          AND abandoned_at IS NULL AND (answered_by IS NULL OR answered_by = 'human')`,
      [pool.campaignId, pool.organizationId],
    );
    // Capped counts: the pacer never dials more than the cap in one tick. Do-not-call and the like are left to the lease, which skips them.
    const [leads] = await manager.query<Array<{ automatic: number; manualOnly: number; approved: number }>>(
      `WITH callable AS (
         SELECT COALESCE(cc.line_type, 'unknown') = 'landline' OR cc.dial_consent AS automatic FROM campaign_contact cc
          WHERE cc.campaign_id = $1 AND cc.organization_id = $2 AND cc.status = 'open' AND cc.next_attempt_at <= now()
            AND (cc.time_zone = ANY ($3::text[]) OR (cc.time_zone IS NULL AND $4::boolean)))
       SELECT (SELECT count(*)::int FROM (SELECT 1 FROM callable WHERE automatic LIMIT $5) rows) AS automatic,
              (SELECT count(*)::int FROM (SELECT 1 FROM callable WHERE NOT automatic LIMIT $5) rows) AS "manualOnly",
              (SELECT count(*)::int FROM (SELECT 1 FROM dial_approval da
                 WHERE da.campaign_id = $1 AND da.organization_id = $2 AND da.used_at IS NULL AND da.expires_at > now() LIMIT $5) rows) AS approved`,
      [pool.campaignId, pool.organizationId, callable.openTimeZones, callable.unknownZoneOpen, leadCountCap],
    );
    // The law counts per campaign, whichever organization's volunteers took the call.
    const [record] = await manager.query<Array<{ liveAnswers: number; abandoned: number }>>(
      `SELECT count(*) FILTER (WHERE answered_by = 'human')::int AS "liveAnswers", count(*) FILTER (WHERE abandoned_at IS NOT NULL)::int AS abandoned
         FROM call WHERE campaign_id = $1 AND created_at > now() - ${THIRTY_DAYS} AND (answered_by = 'human' OR abandoned_at IS NOT NULL)`,
      [pool.campaignId],
    );

    return {
      settings: {
        ...DEFAULT_PACING_SETTINGS,
        mode: campaign.dialMode as DialingMode,
        powerLinesPerVolunteer: campaign.powerLinesPerVolunteer,
        callsPerSecond: campaign.callsPerSecond,
        maxLinesPerVolunteer: campaign.maxLinesPerVolunteer,
        abandonRateTarget: campaign.abandonRateTarget,
      },
      volunteers: volunteerRows.map((row) => ({
        id: row.id,
        // An active session not yet in the dialer (no state) is not available to take a call.
        // Nor is one leaving: no new line is dialed for them (the lines already dialed still count as lines).
        state: row.status === 'paused' || row.dialerState === null || row.dialerState === 'leaving' ? 'paused' : row.dialerState,
        since: new Date(row.since).getTime(),
      })),
      lines: lineRows.map(lineView),
      leads,
      abandonment30Days: record,
      callable,
    };
  }
}

/** A call as the pacer sees it: waiting in the carrier's queue, ringing, answered and being judged, or a human waiting for a volunteer. */
function lineView(row: LineRow): LineView {
  const placedAt = new Date(row.createdAt).getTime();
  const startedAt = row.ringingAt === null ? null : new Date(row.ringingAt).getTime();
  return { id: row.id, state: lineStateOf(row), placedAt, startedAt };
}

/** '20:30:00' → 1230. */
function minutesOf(clockTime: string): number {
  const [hours, minutes] = clockTime.split(':').map(Number);
  return hours * 60 + minutes;
}

function lineStateOf(row: LineRow): LineState {
  switch (row.status) {
    case 'created':
    case 'requesting':
    case 'queued':
      return 'queued';
    case 'in-progress':
      return row.answeredBy === 'human' ? 'human-waiting' : 'answered';
    default:
      return 'ringing';
  }
}
