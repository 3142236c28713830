import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobName, JobProducer } from '@app/queue';
import { isTerminalCallStatus } from '@app/telephony';
import { DialerLineSettlementService } from '../line-settlement/dialer-line-settlement.service';
import type { PacingObservation } from '../pacing/pacing-statistics';
import type { PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';
import { PacingStatisticsStore } from '../pacing-snapshot/pacing-statistics.store';
import { DialerSessionService } from '../volunteer-states/dialer-session.service';
import { DialerCallEventRepository } from './dialer-call-event.repository';

/**
 * What a carrier event means to the pacer, once the event has been applied to its call (the first
 * time only: the caller passes only fresh applications). An unanswered line that ended teaches how
 * long lines ring out or fail; any change to a line asks for a pacing tick, deduplicated, so the pool
 * is paced again within moments instead of at its next periodic tick.
 */
@Injectable()
export class DialerCallEventService {
  private readonly logger = new Logger(DialerCallEventService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calls: DialerCallEventRepository,
    private readonly statistics: PacingStatisticsStore,
    private readonly producer: JobProducer,
    private readonly settlement: DialerLineSettlementService,
    private readonly volunteers: DialerSessionService,
  ) {}

  async afterApplied(eventId: string): Promise<void> {
    const call = await this.calls.callOfEvent(this.dataSource.manager, eventId);
    if (call === null) return;
    const pool = { campaignId: call.campaignId, organizationId: call.organizationId };
    const ended = lineEnd(call);
    if (ended !== null) await this.statistics.record(pool, [ended]);
    if (call.eventStatus === call.status && isTerminalCallStatus(call.status)) {
      // The event that ended the call: its voter's attempt is written now (the tick would, a moment later),
      // or its volunteer moves on to wrap-up.
      if (call.callingSessionId === null) await this.settlement.settleCall(call.callId);
      else await this.volunteers.bridgedCallEnded(call.callId);
    }
    await this.nudge(pool);
  }

  /** A dialer call that ended without a carrier event (never placed, or refused): settle its line now. */
  async afterEndedUnplaced(callId: string): Promise<void> {
    const pool = await this.calls.poolOfCall(this.dataSource.manager, callId);
    if (pool === null) return;
    await this.settlement.settleCall(callId);
    await this.nudge(pool);
  }

  private async nudge(pool: PacingPool): Promise<void> {
    await requestPacingTick(this.producer, pool).catch((error: unknown) => {
      // The periodic tick paces the pool anyway; a missed nudge only delays it.
      this.logger.warn({ message: 'pacing tick not requested', ...pool, error: error instanceof Error ? error.message : String(error) });
    });
  }
}

/**
 * One event-triggered tick per pool while one waits or runs: a burst of events asks for one. An
 * event that lands while a tick runs (and may have read the pool before it) is paced by the sweep's
 * tick within a second, which is deduplicated apart from these (see the pacing sweep).
 */
export function requestPacingTick(producer: JobProducer, pool: PacingPool): Promise<string> {
  return producer.enqueue(JobName.PacingTick, pool, { deduplicationId: `pacing-tick-${pool.campaignId}-${pool.organizationId}` });
}

/** Lines answered are learned at the answer request; here only the ones that ended without one. */
function lineEnd(call: {
  readonly status: string;
  readonly eventStatus: string | null;
  readonly answeredAt: Date | null;
  readonly verdictAt: Date | null;
  readonly lastedMs: number | null;
}): PacingObservation | null {
  if (call.eventStatus !== call.status || call.answeredAt !== null || call.verdictAt !== null || call.lastedMs === null) return null;
  switch (call.status) {
    case 'no-answer':
    case 'canceled':
      return { kind: 'line-ended', outcome: 'no-answer', resolvedAfterMs: call.lastedMs };
    case 'busy':
    case 'failed':
      return { kind: 'line-ended', outcome: 'failed', resolvedAfterMs: call.lastedMs };
    default:
      return null;
  }
}
