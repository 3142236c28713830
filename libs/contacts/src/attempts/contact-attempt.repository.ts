import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactNextState } from './contact-after-disposition.policy';

export interface NewContactAttempt {
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly campaignContactId: string;
  readonly voterId: string;
  readonly phone: string;
  /** Null for a line the dialer settled itself (nobody home, a machine, a person no volunteer was free for). */
  readonly callingSessionId: string | null;
  readonly volunteerUserId: string | null;
  readonly leaseId: string;
  readonly callId: string | null;
  readonly outcome: string | null;
  readonly disposition: string;
  readonly callBackAt: Date | null;
  readonly scriptVersion: number;
  readonly startedAt: Date;
}

export interface ContactAttemptRecord {
  readonly id: string;
  readonly campaignId: string;
  readonly voterId: string;
  readonly leaseId: string;
  readonly callId: string | null;
  readonly outcome: string | null;
  readonly disposition: string;
  readonly callBackAt: Date | null;
  readonly createdAt: Date;
}

const COLUMNS = `id, campaign_id AS "campaignId", voter_id::text AS "voterId", lease_id AS "leaseId", call_id AS "callId", outcome, disposition,
  call_back_at AS "callBackAt", created_at AS "createdAt"`;

/** Contact attempts and what follows from them; every statement runs in the volunteer's scoped transaction. */
@Injectable()
export class ContactAttemptRepository {
  /**
   * Null when the lease already has its attempt: saving twice records once. No conflict target:
   * two saves racing for one lease also collide on the call's unique key, and that must read as
   * "already saved" too, not as an error.
   */
  async insert(manager: EntityManager, attempt: NewContactAttempt): Promise<ContactAttemptRecord | null> {
    const rows: ContactAttemptRecord[] = await manager.query(
      `INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, calling_session_id,
                                    volunteer_user_id, lease_id, call_id, outcome, disposition, call_back_at, script_version, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'phone', $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [
        attempt.allianceId,
        attempt.campaignId,
        attempt.organizationId,
        attempt.campaignContactId,
        attempt.voterId,
        attempt.phone,
        attempt.callingSessionId,
        attempt.volunteerUserId,
        attempt.leaseId,
        attempt.callId,
        attempt.outcome,
        attempt.disposition,
        attempt.callBackAt,
        attempt.scriptVersion,
        attempt.startedAt,
      ],
    );
    return rows[0] ?? null;
  }

  async findByLease(manager: EntityManager, leaseId: string): Promise<ContactAttemptRecord | null> {
    const rows: ContactAttemptRecord[] = await manager.query(`SELECT ${COLUMNS} FROM contact_attempt WHERE lease_id = $1`, [leaseId]);
    return rows[0] ?? null;
  }

  async insertResponses(
    manager: EntityManager,
    attempt: { id: string; allianceId: string; campaignId: string; organizationId: string; voterId: string },
    answers: readonly { questionKey: string; answer: string }[],
  ): Promise<void> {
    if (answers.length === 0) return;
    await manager.query(
      `INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer)
       SELECT $1, $2, $3, $4, $5, answer.question_key, answer.answer FROM unnest($6::text[], $7::text[]) AS answer (question_key, answer)
       ON CONFLICT (contact_attempt_id, question_key) DO NOTHING`,
      [
        attempt.allianceId,
        attempt.campaignId,
        attempt.organizationId,
        attempt.id,
        attempt.voterId,
        answers.map((each) => each.questionKey),
        answers.map((each) => each.answer),
      ],
    );
  }

  async responsesOf(manager: EntityManager, attemptId: string): Promise<{ questionKey: string; answer: string }[]> {
    return manager.query(`SELECT question_key AS "questionKey", answer FROM survey_response WHERE contact_attempt_id = $1 ORDER BY id`, [attemptId]);
  }

  /**
   * Moves the call-list row on, if this lease still holds it (a lease that lapsed and went to
   * someone else leaves the row to them). The attempt counts either way.
   */
  async advanceContact(
    manager: EntityManager,
    contactId: string,
    leaseId: string,
    next: ContactNextState,
    disposition: string,
    countAttempt = true,
  ): Promise<void> {
    await manager.query(
      `UPDATE campaign_contact SET attempts = attempts + $7::int, last_disposition = $3, updated_at = now(),
              status = CASE WHEN lease_id = $2 THEN $4::campaign_contact_status ELSE status END,
              closed_reason = CASE WHEN lease_id = $2 THEN $5 ELSE closed_reason END,
              next_attempt_at = CASE WHEN lease_id = $2 THEN COALESCE($6, next_attempt_at) ELSE next_attempt_at END,
              lease_id = CASE WHEN lease_id = $2 THEN NULL ELSE lease_id END,
              leased_session_id = CASE WHEN lease_id = $2 THEN NULL ELSE leased_session_id END,
              leased_until = CASE WHEN lease_id = $2 THEN NULL ELSE leased_until END
        WHERE id = $1`,
      [
        contactId,
        leaseId,
        disposition,
        next.status,
        next.status === 'done' ? next.reason : null,
        next.status === 'open' ? next.nextAttemptAt : null,
        countAttempt ? 1 : 0,
      ],
    );
  }

  /** The alliance never calls this phone again; open rows of the organization's campaigns close now, others at lease time. */
  /**
   * An attempt saved before its call ended learns how the call ended. A person the dialer could not
   * connect stays `abandoned` (what the settlement wrote): a late carrier event only says "human".
   */
  async recordCallOutcome(manager: EntityManager, callId: string, outcome: string): Promise<void> {
    await manager.query(`UPDATE contact_attempt SET outcome = $2 WHERE call_id = $1 AND outcome IS DISTINCT FROM 'abandoned'`, [callId, outcome]);
  }

  async addDoNotCall(manager: EntityManager, allianceId: string, phone: string, attemptId: string, userId: string): Promise<void> {
    await manager.query(
      `INSERT INTO do_not_call (alliance_id, phone, source, contact_attempt_id, created_by_user_id) VALUES ($1, $2, 'disposition', $3, $4)
       ON CONFLICT (alliance_id, phone) DO NOTHING`,
      [allianceId, phone, attemptId, userId],
    );
    await this.closeOpenRows(manager, allianceId, phone, 'do_not_call');
  }

  async markWrongNumber(manager: EntityManager, allianceId: string, phone: string, attemptId: string): Promise<void> {
    await manager.query(
      `INSERT INTO phone_status (alliance_id, phone, status, contact_attempt_id) VALUES ($1, $2, 'wrong_number', $3) ON CONFLICT (alliance_id, phone) DO NOTHING`,
      [allianceId, phone, attemptId],
    );
    await this.closeOpenRows(manager, allianceId, phone, 'wrong_number');
  }

  async sessionCounts(
    manager: EntityManager,
    sessionId: string,
    conversationDispositions: readonly string[],
  ): Promise<{ attempts: number; conversations: number }> {
    const rows: { attempts: string; conversations: string }[] = await manager.query(
      `SELECT count(*) AS attempts, count(*) FILTER (WHERE disposition = ANY ($2::text[])) AS conversations FROM contact_attempt WHERE calling_session_id = $1`,
      [sessionId, conversationDispositions],
    );
    return { attempts: Number(rows[0].attempts), conversations: Number(rows[0].conversations) };
  }

  private async closeOpenRows(manager: EntityManager, allianceId: string, phone: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE campaign_contact SET status = 'done', closed_reason = $3, lease_id = NULL, leased_session_id = NULL, leased_until = NULL, updated_at = now()
        WHERE alliance_id = $1 AND phone = $2 AND status = 'open'`,
      [allianceId, phone, reason],
    );
  }
}
