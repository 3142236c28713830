import { Injectable } from '@nestjs/common';
import { returnedRows } from '@app/database';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type CallingSessionStatus = 'active' | 'paused' | 'ended';

export interface CallingSessionRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly status: CallingSessionStatus;
  readonly startedAt: Date;
  readonly pausedAt: Date | null;
  readonly pausedSeconds: number;
  readonly endedAt: Date | null;
  /** Power and predictive campaigns: ready, talking or wrap-up; null when not taking calls (and always in preview). */
  readonly dialerState: 'ready' | 'talking' | 'wrap-up' | 'leaving' | null;
}

export interface CallingSessionStats {
  readonly calls: number;
  readonly conversations: number;
  readonly attempts: number;
  readonly talkSeconds: number;
  /** Time signed in and not paused. */
  readonly activeSeconds: number;
}

const COLUMNS = `id, alliance_id AS "allianceId", campaign_id AS "campaignId", organization_id AS "organizationId", user_id AS "userId",
  status, started_at AS "startedAt", paused_at AS "pausedAt", paused_seconds AS "pausedSeconds", ended_at AS "endedAt",
  dialer_state AS "dialerState"`;

/**
 * Out of the dialer first: a volunteer on a call or wrapping one up holds that voter, and one ready
 * or leaving may be connected to a voter any moment; pausing or ending would drop or abandon them.
 */
const NOT_ON_A_DIALER_CALL = `dialer_state IS NULL`;

@Injectable()
export class CallingSessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The volunteer's open session in the campaign, or a new one: a second tab resumes rather than doubles. */
  async openOrResume(allianceId: string, campaignId: string, organizationId: string, userId: string): Promise<CallingSessionRecord> {
    const rows: CallingSessionRecord[] = await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (campaign_id, user_id) WHERE status <> 'ended' DO NOTHING RETURNING ${COLUMNS})
       SELECT * FROM inserted
       UNION ALL
       SELECT ${COLUMNS} FROM calling_session WHERE campaign_id = $2 AND user_id = $4 AND status <> 'ended'
       LIMIT 1`,
      [allianceId, campaignId, organizationId, userId],
    );
    return rows[0];
  }

  async findById(sessionId: string): Promise<CallingSessionRecord | null> {
    const rows: CallingSessionRecord[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM calling_session WHERE id = $1`, [sessionId]);
    return rows[0] ?? null;
  }

  async pause(sessionId: string): Promise<CallingSessionRecord | null> {
    const rows = returnedRows<CallingSessionRecord>(
      await this.dataSource.query(
        `UPDATE calling_session SET status = 'paused', paused_at = now(), dialer_state = NULL, dialer_state_since = NULL
        WHERE id = $1 AND status = 'active' AND ${NOT_ON_A_DIALER_CALL} RETURNING ${COLUMNS}`,
        [sessionId],
      ),
    );
    return rows[0] ?? null;
  }

  async resume(sessionId: string): Promise<CallingSessionRecord | null> {
    const rows = returnedRows<CallingSessionRecord>(
      await this.dataSource.query(
        `UPDATE calling_session SET status = 'active', paused_seconds = paused_seconds + extract(epoch FROM now() - paused_at)::integer, paused_at = NULL
        WHERE id = $1 AND status = 'paused' RETURNING ${COLUMNS}`,
        [sessionId],
      ),
    );
    return rows[0] ?? null;
  }

  async end(sessionId: string): Promise<CallingSessionRecord | null> {
    const rows = returnedRows<CallingSessionRecord>(
      await this.dataSource.query(
        `UPDATE calling_session SET status = 'ended', ended_at = now(), dialer_state = NULL, dialer_state_since = NULL,
              paused_seconds = paused_seconds + COALESCE(extract(epoch FROM now() - paused_at)::integer, 0), paused_at = NULL
        WHERE id = $1 AND status <> 'ended' AND ${NOT_ON_A_DIALER_CALL} RETURNING ${COLUMNS}`,
        [sessionId],
      ),
    );
    return rows[0] ?? null;
  }

  /** A volunteer in the dialer was heard from (their console waits for its card); written at most every 10 s. */
  async touchDialer(sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE calling_session SET dialer_seen_at = now()
        WHERE id = $1 AND dialer_state IS NOT NULL AND (dialer_seen_at IS NULL OR dialer_seen_at < now() - interval '10 seconds')`,
      [sessionId],
    );
  }

  /** The organizations that hold turf in a campaign, among some: where a volunteer may call for it. */
  async organizationsWithTurf(campaignId: string, organizationIds: readonly string[]): Promise<string[]> {
    const rows: { organizationId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT organization_id AS "organizationId" FROM turf_assignment
        WHERE campaign_id = $1 AND organization_id = ANY ($2::uuid[]) AND ended_at IS NULL ORDER BY 1`,
      [campaignId, organizationIds],
    );
    return rows.map((row) => row.organizationId);
  }

  async stats(session: CallingSessionRecord): Promise<CallingSessionStats> {
    const rows: { calls: string; talkSeconds: string; activeSeconds: string }[] = await this.dataSource.query(
      `SELECT count(c.id) AS calls, COALESCE(sum(c.duration_seconds) FILTER (WHERE c.answered_at IS NOT NULL), 0) AS "talkSeconds",
              GREATEST(0, extract(epoch FROM COALESCE(s.ended_at, now()) - s.started_at)::integer - s.paused_seconds
                - COALESCE(extract(epoch FROM now() - s.paused_at)::integer, 0)) AS "activeSeconds"
         FROM calling_session s LEFT JOIN call c ON c.calling_session_id = s.id
        WHERE s.id = $1 GROUP BY s.id`,
      [session.id],
    );
    return {
      calls: Number(rows[0]?.calls ?? 0),
      talkSeconds: Number(rows[0]?.talkSeconds ?? 0),
      activeSeconds: Number(rows[0]?.activeSeconds ?? 0),
      conversations: 0,
      attempts: 0,
    };
  }
}
