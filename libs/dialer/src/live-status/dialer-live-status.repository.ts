import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';

/** One organization's pool of a campaign as the database sees it now; the last hour and 30 days end at the transaction's start. */
export interface LivePoolRow {
  readonly organizationId: string;
  readonly organizationName: string | null;
  readonly ready: number;
  readonly talking: number;
  readonly wrapUp: number;
  readonly paused: number;
  /** Active sessions not in the dialer yet (no dialer state): signed in, not ready. */
  readonly signedIn: number;
  /** Seconds signed in and not paused during the last hour, summed over the pool's sessions. */
  readonly activeSeconds: number;
  /** Dialer lines no volunteer has yet: created, with the carrier, ringing, or a person waiting. */
  readonly linesInFlight: number;
  readonly dials: number;
  /** Dials of the last hour whose outcome is known: answered, or ended. */
  readonly settledDials: number;
  readonly answered: number;
  readonly liveAnswers: number;
  readonly abandoned: number;
  readonly conversations: number;
  readonly liveAnswers30Days: number;
  readonly abandoned30Days: number;
}

/** A live person: judged human, or treated as one (bridged, or abandoned); the compliance evidence counts the same. */
const LIVE_ANSWER = `(answered_by = 'human' OR bridged_at IS NOT NULL OR abandoned_at IS NOT NULL)`;
const LAST_HOUR = `now() - interval '1 hour'`;

/**
 * The org lead's live picture of a campaign's dialer, per organization pool, in one statement (it
 * is polled every 2 s while the page is open): volunteers by dialer state, lines in flight, the
 * last hour's dials, answers, abandoned calls and conversations with the volunteer time they took,
 * and the 30-day abandonment record the pacer holds itself to. Conversations come from
 * contact_attempt, which row security narrows to the organizations the transaction may see.
 */
@Injectable()
export class DialerLiveStatusRepository {
  async poolsOf(manager: EntityManager, campaignId: string, conversationDispositions: readonly string[]): Promise<LivePoolRow[]> {
    return manager.query<LivePoolRow[]>(
      `WITH sessions AS (
         SELECT organization_id,
                -- leaving: stopped while lines dialed for them still ring, and may still take one of those
                count(*) FILTER (WHERE status = 'active' AND dialer_state IN ('ready', 'leaving'))::int AS ready,
                count(*) FILTER (WHERE status = 'active' AND dialer_state = 'talking')::int AS talking,
                count(*) FILTER (WHERE status = 'active' AND dialer_state = 'wrap-up')::int AS "wrapUp",
                count(*) FILTER (WHERE status = 'paused')::int AS paused,
                count(*) FILTER (WHERE status = 'active' AND dialer_state IS NULL)::int AS "signedIn",
                COALESCE(sum(GREATEST(0, span.within - span.paused_now
                  -- earlier pauses are kept only as a total: spread evenly over the time signed in before the current one
                  - CASE WHEN span.before_pause > 0 THEN paused_seconds * (span.within - span.paused_now) / span.before_pause ELSE 0 END)), 0)::float8 AS "activeSeconds"
           FROM calling_session,
                LATERAL (SELECT GREATEST(0, extract(epoch FROM COALESCE(ended_at, now()) - GREATEST(started_at, ${LAST_HOUR}))) AS within,
                                CASE WHEN paused_at IS NULL THEN 0 ELSE GREATEST(0, extract(epoch FROM now() - GREATEST(paused_at, ${LAST_HOUR}))) END AS paused_now,
                                extract(epoch FROM COALESCE(paused_at, ended_at, now()) - started_at) AS before_pause) span
          WHERE campaign_id = $1 AND (status <> 'ended' OR ended_at > ${LAST_HOUR})
          GROUP BY organization_id),
       lines AS (
         SELECT organization_id, count(*)::int AS "linesInFlight"
           FROM call
          WHERE campaign_id = $1 AND calling_session_id IS NULL AND status IN ${LIVE_CALL_STATUS_SQL} AND dial_kind <> 'preview' AND abandoned_at IS NULL
          GROUP BY organization_id),
       calls AS (
         SELECT organization_id,
                count(*) FILTER (WHERE created_at > ${LAST_HOUR})::int AS dials,
                count(*) FILTER (WHERE created_at > ${LAST_HOUR} AND (answered_at IS NOT NULL OR status NOT IN ${LIVE_CALL_STATUS_SQL}))::int AS "settledDials",
                count(*) FILTER (WHERE created_at > ${LAST_HOUR} AND answered_at IS NOT NULL)::int AS answered,
                count(*) FILTER (WHERE created_at > ${LAST_HOUR} AND ${LIVE_ANSWER})::int AS "liveAnswers",
                count(*) FILTER (WHERE created_at > ${LAST_HOUR} AND abandoned_at IS NOT NULL)::int AS abandoned,
                count(*) FILTER (WHERE ${LIVE_ANSWER})::int AS "liveAnswers30Days",
                count(*) FILTER (WHERE abandoned_at IS NOT NULL)::int AS "abandoned30Days"
           FROM call
          WHERE campaign_id = $1 AND created_at > now() - interval '30 days'
          GROUP BY organization_id),
       conversations AS (
         SELECT organization_id, count(*)::int AS conversations
           FROM contact_attempt
          WHERE campaign_id = $1 AND created_at > ${LAST_HOUR} AND disposition = ANY ($2::text[])
          GROUP BY organization_id),
       pools AS (
         SELECT organization_id FROM sessions UNION SELECT organization_id FROM lines
         UNION SELECT organization_id FROM calls UNION SELECT organization_id FROM conversations)
       SELECT p.organization_id AS "organizationId", o.name AS "organizationName",
              COALESCE(s.ready, 0) AS ready, COALESCE(s.talking, 0) AS talking, COALESCE(s."wrapUp", 0) AS "wrapUp",
              COALESCE(s.paused, 0) AS paused, COALESCE(s."signedIn", 0) AS "signedIn", COALESCE(s."activeSeconds", 0) AS "activeSeconds",
              COALESCE(l."linesInFlight", 0) AS "linesInFlight",
              COALESCE(c.dials, 0) AS dials, COALESCE(c."settledDials", 0) AS "settledDials", COALESCE(c.answered, 0) AS answered,
              COALESCE(c."liveAnswers", 0) AS "liveAnswers", COALESCE(c.abandoned, 0) AS abandoned,
              COALESCE(v.conversations, 0) AS conversations,
              COALESCE(c."liveAnswers30Days", 0) AS "liveAnswers30Days", COALESCE(c."abandoned30Days", 0) AS "abandoned30Days"
         FROM pools p
         LEFT JOIN organization o ON o.id = p.organization_id
         LEFT JOIN sessions s ON s.organization_id = p.organization_id
         LEFT JOIN lines l ON l.organization_id = p.organization_id
         LEFT JOIN calls c ON c.organization_id = p.organization_id
         LEFT JOIN conversations v ON v.organization_id = p.organization_id
        ORDER BY o.name, p.organization_id`,
      [campaignId, conversationDispositions],
    );
  }
}
