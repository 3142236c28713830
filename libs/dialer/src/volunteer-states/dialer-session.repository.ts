import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@app/database';
import type { PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';
import { pacingPoolLockKey } from '../pacing-tick/pacing-pool-lock.util';

/** `leaving`: asked to stop while lines dialed for them still ring; a person who answers one is still theirs. */
export type DialerState = 'ready' | 'talking' | 'wrap-up' | 'leaving';

/** A calling session as the dialer sees it. */
export interface DialerSessionView {
  readonly id: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: 'active' | 'paused' | 'ended';
  readonly dialerState: DialerState | null;
  readonly dialerStateSince: Date | null;
  readonly dialMode: string;
  readonly campaignStatus: string;
}

/** A state change, with what it replaced: how long the volunteer talked or wrapped up is what the pacer learns. */
export interface DialerStateChange {
  readonly id: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly dialerState: DialerState | null;
  readonly previousState: DialerState | null;
  readonly previousSince: Date | null;
}

const VIEW = `s.id, s.campaign_id AS "campaignId", s.organization_id AS "organizationId", s.status, s.dialer_state AS "dialerState",
  s.dialer_state_since AS "dialerStateSince", k.dial_mode AS "dialMode", k.status AS "campaignStatus"`;

/**
 * Volunteers' dialer states (ready, talking, wrap-up; none = not taking calls). Every change is one
 * conditional UPDATE from the states it may leave, so a click racing the answer request (which
 * moves ready to talking under its own lock) either wins or finds the state already moved.
 */
@Injectable()
export class DialerSessionRepository {
  async view(manager: EntityManager, sessionId: string): Promise<DialerSessionView | null> {
    const rows: DialerSessionView[] = await manager.query(`SELECT ${VIEW} FROM calling_session s JOIN campaign k ON k.id = s.campaign_id WHERE s.id = $1`, [
      sessionId,
    ]);
    return rows[0] ?? null;
  }

  /** Not taking calls (or on the way out) → ready, in an active power or predictive campaign. */
  async becomeReady(manager: EntityManager, sessionId: string): Promise<DialerStateChange | null> {
    return this.change(
      manager,
      sessionId,
      `'ready'`,
      `(s.dialer_state IS NULL OR s.dialer_state = 'leaving') AND EXISTS (SELECT 1 FROM campaign k WHERE k.id = s.campaign_id AND k.status = 'active' AND k.dial_mode IN ('power', 'predictive'))`,
    );
  }

  /**
   * Ready → not taking calls; or leaving, while the pool has lines no volunteer has yet (some may
   * have been dialed with this volunteer counted: whoever answers must not be abandoned for it).
   * Run in a transaction: it first waits for a tick of the pool in progress, whose lines it must see.
   */
  async stopTakingCalls(manager: EntityManager, sessionId: string): Promise<DialerStateChange | null> {
    const [pool]: PacingPool[] = await manager.query(
      `SELECT campaign_id::text AS "campaignId", organization_id::text AS "organizationId" FROM calling_session WHERE id = $1`,
      [sessionId],
    );
    if (pool === undefined) return null;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [pacingPoolLockKey(pool)]);
    return this.change(
      manager,
      sessionId,
      `(CASE WHEN EXISTS (SELECT 1 FROM call c WHERE c.campaign_id = s.campaign_id AND c.organization_id = s.organization_id
                            AND c.calling_session_id IS NULL AND c.status IN ${LIVE_CALL_STATUS_SQL} AND c.abandoned_at IS NULL)
             THEN 'leaving' END)`,
      `s.dialer_state = 'ready'`,
    );
  }

  /**
   * Volunteers of a pool waiting for calls who have not been heard from in `silentSeconds` (their
   * console asks for its card every few seconds while they wait) leave the dialer: a voter
   * connected to a closed laptop hears nobody. A session never heard from counts from its state's start.
   */
  async releaseSilent(manager: EntityManager, pool: PacingPool, silentSeconds: number): Promise<number> {
    const [, count] = (await manager.query(
      `UPDATE calling_session SET dialer_state = NULL, dialer_state_since = NULL
        WHERE campaign_id = $1 AND organization_id = $2 AND dialer_state IN ('ready', 'leaving')
          AND COALESCE(dialer_seen_at, dialer_state_since) < now() - make_interval(secs => $3)`,
      [pool.campaignId, pool.organizationId, silentSeconds],
    )) as [unknown, number];
    return count;
  }

  /** Leaving volunteers of a pool whose lines have all been taken or ended leave the dialer (under the tick's lock). */
  async releaseLeaving(manager: EntityManager, pool: PacingPool): Promise<void> {
    await manager.query(
      `UPDATE calling_session s SET dialer_state = NULL, dialer_state_since = NULL
        WHERE s.campaign_id = $1 AND s.organization_id = $2 AND s.dialer_state = 'leaving'
          AND NOT EXISTS (SELECT 1 FROM call c WHERE c.campaign_id = $1 AND c.organization_id = $2
                             AND c.calling_session_id IS NULL AND c.status IN ${LIVE_CALL_STATUS_SQL} AND c.abandoned_at IS NULL)`,
      [pool.campaignId, pool.organizationId],
    );
  }

  /**
   * After the disposition: wrap-up → ready (or not taking calls). A disposition saved while still
   * talking changes nothing here; the end of the call then moves the volunteer on.
   */
  async afterDisposition(manager: EntityManager, sessionId: string, readyForNext: boolean): Promise<DialerStateChange | null> {
    return this.change(manager, sessionId, readyForNext ? `'ready'` : `NULL`, `s.dialer_state = 'wrap-up'`);
  }

  /**
   * The volunteer's bridged call ended: talking → wrap-up, or straight to ready when its
   * disposition is already saved. Only the session talking on this very call (the claim set its
   * since-time to the call's bridged_at in one transaction) moves: a late event of an earlier call does not.
   */
  async bridgedCallEnded(manager: EntityManager, callId: string): Promise<DialerStateChange | null> {
    const rows = returnedRows<DialerStateChange>(
      await manager.query(
        `WITH ended AS (
           SELECT c.calling_session_id AS session_id, c.bridged_at, c.lease_id FROM call c
            WHERE c.id = $1 AND c.dial_kind <> 'preview' AND c.bridged_at IS NOT NULL AND c.ended_at IS NOT NULL),
         before AS (
           SELECT s.id, s.dialer_state, s.dialer_state_since FROM calling_session s JOIN ended ON ended.session_id = s.id
            WHERE s.dialer_state = 'talking' AND s.dialer_state_since = ended.bridged_at FOR UPDATE OF s)
         UPDATE calling_session s
            SET dialer_state = CASE WHEN s.status = 'active' AND EXISTS (SELECT 1 FROM contact_attempt a JOIN ended ON a.lease_id = ended.lease_id)
                                    THEN 'ready' ELSE 'wrap-up' END,
                dialer_state_since = now(), dialer_seen_at = now()
           FROM before WHERE s.id = before.id
         RETURNING s.id, s.campaign_id AS "campaignId", s.organization_id AS "organizationId", s.dialer_state AS "dialerState",
                   before.dialer_state AS "previousState", before.dialer_state_since AS "previousSince"`,
        [callId],
      ),
    );
    return rows[0] ?? null;
  }

  private async change(manager: EntityManager, sessionId: string, to: string, from: string): Promise<DialerStateChange | null> {
    const rows = returnedRows<DialerStateChange>(
      await manager.query(
        `WITH before AS (SELECT s.id, s.dialer_state, s.dialer_state_since FROM calling_session s WHERE s.id = $1 AND s.status = 'active' AND ${from} FOR UPDATE)
         UPDATE calling_session s SET dialer_state = ${to}, dialer_state_since = CASE WHEN ${to} IS NULL THEN NULL ELSE now() END, dialer_seen_at = now()
           FROM before WHERE s.id = before.id
         RETURNING s.id, s.campaign_id AS "campaignId", s.organization_id AS "organizationId", s.dialer_state AS "dialerState",
                   before.dialer_state AS "previousState", before.dialer_state_since AS "previousSince"`,
        [sessionId],
      ),
    );
    return rows[0] ?? null;
  }
}
