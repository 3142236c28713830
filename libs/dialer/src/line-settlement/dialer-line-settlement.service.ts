import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_RETRY_POLICY, Disposition, type RetryPolicy } from '@app/campaigns';
import { contactAfterDisposition, ContactAttemptRepository } from '@app/contacts';
import { callOutcomeOf } from '@app/telephony';
import type { PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';
import { DialerLineSettlementRepository, type EndedDialerLine } from './dialer-line-settlement.repository';

/** How many ended lines one tick settles before it paces: more wait for the next tick. */
const SETTLE_PER_TICK = 200;

/**
 * A line the dialer placed that ended without reaching a volunteer (no answer, busy, failed, a
 * machine, or a person nobody was free for) is still an attempt on the voter: it is written as one,
 * with the disposition a volunteer would have chosen, and the call-list row moves on by the
 * campaign's retry policy (a retry later, or closed when the attempts run out). Keyed by the lease,
 * so settling a line twice (the event handler and the tick, a job run again) writes one attempt.
 */
@Injectable()
export class DialerLineSettlementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lines: DialerLineSettlementRepository,
    private readonly attempts: ContactAttemptRepository,
  ) {}

  /** The line of this call, if it ended unbridged and is not settled yet. */
  async settleCall(callId: string, now = new Date()): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const line = await this.lines.lockEndedLine(manager, callId);
      if (line === null) return false;
      await this.settle(manager, line, now);
      return true;
    });
  }

  /** Inside the pacing tick's transaction: the pool's ended lines, so their voters are free before it picks new ones. */
  async settlePool(manager: EntityManager, pool: PacingPool, now = new Date()): Promise<number> {
    const lines = await this.lines.lockEndedLinesOfPool(manager, pool, SETTLE_PER_TICK);
    for (const line of lines) await this.settle(manager, line, now);
    return lines.length;
  }

  private async settle(manager: EntityManager, line: EndedDialerLine, now: Date): Promise<void> {
    if (!line.reachedCarrier) return this.lines.releaseUnplaced(manager, line);
    const disposition = dispositionOf(line);
    const attempt = await this.attempts.insert(manager, {
      allianceId: line.allianceId,
      campaignId: line.campaignId,
      organizationId: line.organizationId,
      campaignContactId: line.contactId,
      voterId: line.voterId,
      phone: line.phone,
      callingSessionId: null,
      volunteerUserId: null,
      leaseId: line.leaseId,
      callId: line.callId,
      outcome: line.abandoned ? 'abandoned' : callOutcomeOf(line.status, line.answeredBy),
      disposition,
      callBackAt: null,
      scriptVersion: line.scriptVersion,
      startedAt: line.createdAt,
    });
    // Already written (by a run that died before letting the voter go): only the row moves on.
    const attemptsIncludingThis = line.attempts + (attempt === null ? 0 : 1);
    const policy = { ...DEFAULT_RETRY_POLICY, ...(line.retryPolicy ?? {}) } as RetryPolicy;
    await this.attempts.advanceContact(
      manager,
      line.contactId,
      line.leaseId,
      contactAfterDisposition(disposition, Math.max(1, attemptsIncludingThis), policy, now, null),
      disposition,
      attempt !== null,
    );
  }
}

/**
 * The disposition a volunteer would have recorded. A person we could not connect hung up on a
 * recorded message: for retries they are like nobody home (they are called again later), and the
 * attempt's outcome says what happened.
 */
function dispositionOf(line: EndedDialerLine): Disposition {
  if (line.answeredBy !== null && line.answeredBy !== 'human' && line.answeredBy !== 'unknown') return Disposition.Voicemail;
  if (line.status === 'busy') return Disposition.Busy;
  return Disposition.NotHome;
}
