import { Injectable } from '@nestjs/common';
import { returnedRows } from '@app/database';
import { type EntityManager, QueryFailedError } from 'typeorm';

/** A dialer call at the moment its voice leg asks what to do, with what was already decided for it. */
export interface AnsweringCall {
  readonly id: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly leaseId: string;
  readonly callingSessionId: string | null;
  readonly answeredBy: string | null;
  readonly ringingAt: Date | null;
  readonly verdictAt: Date | null;
  readonly bridgedAt: Date | null;
  readonly abandonedAt: Date | null;
  /** Set when the carrier already reported the line over (a late answer request, after the voter hung up). */
  readonly endedAt: Date | null;
  readonly identificationMessage: string | null;
  readonly voicemailMessage: string | null;
}

/** A call is bridged to a volunteer's session for this long (the lease: saving the disposition needs it). */
const BRIDGED_LEASE_MINUTES = 30;

/** A volunteer of the pool ($1 campaign, $2 organization) who may take a voter who has just answered. */
const WAITING_VOLUNTEER = `WHERE campaign_id = $1 AND organization_id = $2 AND status = 'active' AND dialer_state IN ('ready', 'leaving')`;

/** Each round waits for the rows others hold; a few rounds cover volunteers whose rows were taken again meanwhile. */
const CLAIM_ROUNDS = 3;

/** The longest one round waits for a volunteer's row (milliseconds). */
const CLAIM_WAIT_MS = 1_000;

/** SQLSTATE of a lock not granted within `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';

/** The answer request's reads and writes: one row lock on the call, one claim on the longest-idle volunteer. */
@Injectable()
export class CallAnswerRepository {
  /** Whose call-list row a call is on: the organization the answer's transaction is scoped to. */
  async ownerOf(manager: EntityManager, callId: string): Promise<{ allianceId: string; organizationId: string } | null> {
    const rows: Array<{ allianceId: string; organizationId: string }> = await manager.query(
      `SELECT alliance_id AS "allianceId", organization_id AS "organizationId" FROM call WHERE id = $1 AND dial_kind <> 'preview'`,
      [callId],
    );
    return rows[0] ?? null;
  }

  /**
   * The carrier's answer request, stored once like its status callbacks (a retry finds it stored):
   * what detection said and when, kept with the call's other events for the compliance record.
   */
  async storeRequest(manager: EntityManager, callId: string, parameters: Readonly<Record<string, string>>): Promise<void> {
    const callSid = parameters.CallSid !== undefined && /^[A-Za-z0-9]{1,64}$/.test(parameters.CallSid) ? parameters.CallSid : callId;
    await manager.query(
      `INSERT INTO provider_event (provider, kind, provider_id, event_key, subject_id, status, payload, applied_at)
       SELECT c.provider, 'call_answer', $2, 'answer', c.id, $3, $4, now() FROM call c WHERE c.id = $1
       ON CONFLICT (provider, kind, provider_id, event_key) DO NOTHING`,
      [callId, callSid, parameters.AnsweredBy ?? null, JSON.stringify(parameters)],
    );
  }

  /** Locks the call for the rest of the transaction: a repeated answer request waits and then reads the first one's decision. */
  async lockDialerCall(manager: EntityManager, callId: string): Promise<AnsweringCall | null> {
    const rows: AnsweringCall[] = await manager.query(
      `SELECT c.id, c.campaign_id AS "campaignId", c.organization_id AS "organizationId", c.lease_id AS "leaseId", c.calling_session_id AS "callingSessionId",
              c.answered_by AS "answeredBy", c.ringing_at AS "ringingAt", c.verdict_at AS "verdictAt", c.bridged_at AS "bridgedAt", c.abandoned_at AS "abandonedAt",
              c.ended_at AS "endedAt", k.identification_message AS "identificationMessage", k.voicemail_message AS "voicemailMessage"
         FROM call c JOIN campaign k ON k.id = c.campaign_id
        WHERE c.id = $1 AND c.dial_kind <> 'preview'
          FOR UPDATE OF c`,
      [callId],
    );
    return rows[0] ?? null;
  }

  /**
   * The pool's longest-idle ready volunteer, now talking; else one on the way out (they asked to
   * stop while lines dialed for them rang); null if nobody. SKIP LOCKED first: two humans answering
   * at once take two different volunteers rather than waiting for each other. A volunteer's row can
   * also be locked for a moment by their own console (a heartbeat, a click on "stop"): skipping them
   * then would abandon a voter with a volunteer waiting, so when only locked volunteers are left the
   * claim waits for their rows and reads their state as it stands after.
   */
  async claimLongestIdle(manager: EntityManager, campaignId: string, organizationId: string): Promise<string | null> {
    for (let round = 0; round < CLAIM_ROUNDS; round += 1) {
      const free = await this.claim(manager, campaignId, organizationId, 'SKIP LOCKED');
      if (free !== null) return free;
      const [{ waiting }]: Array<{ waiting: boolean }> = await manager.query(`SELECT EXISTS (SELECT 1 FROM calling_session ${WAITING_VOLUNTEER}) AS waiting`, [
        campaignId,
        organizationId,
      ]);
      if (!waiting) return null;
      const locked = await this.claimWaiting(manager, campaignId, organizationId);
      if (locked === 'timed-out') return null;
      if (locked !== null) return locked;
    }
    return null;
  }

  /**
   * The claim that waits for locked rows, at most `CLAIM_WAIT_MS`: a console's heartbeat or click holds a
   * row for milliseconds, while a voter kept on hold past the carrier's patience would be dropped unanswered.
   */
  private async claimWaiting(manager: EntityManager, campaignId: string, organizationId: string): Promise<string | null | 'timed-out'> {
    await manager.query(`SAVEPOINT claim_waiting`);
    await manager.query(`SET LOCAL lock_timeout = ${CLAIM_WAIT_MS}`);
    try {
      const claimed = await this.claim(manager, campaignId, organizationId, '');
      await manager.query(`RELEASE SAVEPOINT claim_waiting`);
      await manager.query(`SET LOCAL lock_timeout = DEFAULT`);
      return claimed;
    } catch (error) {
      if (!(error instanceof QueryFailedError) || (error.driverError as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
      // Back to before the wait (its lock_timeout included): the answer goes on, as for nobody ready.
      await manager.query(`ROLLBACK TO SAVEPOINT claim_waiting`);
      return 'timed-out';
    }
  }

  private async claim(manager: EntityManager, campaignId: string, organizationId: string, lockMode: 'SKIP LOCKED' | ''): Promise<string | null> {
    const rows = returnedRows<{ id: string }>(
      await manager.query(
        `UPDATE calling_session SET dialer_state = 'talking', dialer_state_since = now()
          WHERE id = (SELECT id FROM calling_session ${WAITING_VOLUNTEER}
                       ORDER BY dialer_state = 'leaving', dialer_state_since, id LIMIT 1 FOR UPDATE ${lockMode})
            AND dialer_state IN ('ready', 'leaving')
          RETURNING id`,
        [campaignId, organizationId],
      ),
    );
    return rows[0]?.id ?? null;
  }

  /** The call joins the volunteer's conference; the lease becomes theirs, so the disposition is saved as in preview calling. */
  async recordBridged(manager: EntityManager, call: AnsweringCall, sessionId: string, answeredBy: string): Promise<void> {
    await manager.query(
      `UPDATE call SET calling_session_id = $2, answered_by = $3, verdict_at = now(), bridged_at = now(), answered_at = COALESCE(answered_at, now()), updated_at = now()
        WHERE id = $1`,
      [call.id, sessionId, answeredBy],
    );
    await manager.query(
      `UPDATE campaign_contact SET leased_session_id = $2, leased_until = now() + make_interval(mins => $3), next_attempt_at = now() + make_interval(mins => $3), updated_at = now()
        WHERE lease_id = $1`,
      [call.leaseId, sessionId, BRIDGED_LEASE_MINUTES],
    );
  }

  /** A live person nobody could take: abandoned, the identification message plays. The evidence reads `abandoned_at`. */
  async recordAbandoned(manager: EntityManager, call: AnsweringCall, answeredBy: string): Promise<void> {
    await manager.query(
      `UPDATE call SET answered_by = $2, verdict_at = now(), abandoned_at = now(), answered_at = COALESCE(answered_at, now()), updated_at = now() WHERE id = $1`,
      [call.id, answeredBy],
    );
  }

  async recordMachine(manager: EntityManager, call: AnsweringCall, answeredBy: string): Promise<void> {
    await manager.query(`UPDATE call SET answered_by = $2, verdict_at = now(), answered_at = COALESCE(answered_at, now()), updated_at = now() WHERE id = $1`, [
      call.id,
      answeredBy,
    ]);
  }
}
