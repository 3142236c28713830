import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isWithinCallingWindow, OpenZonesCache } from '@app/campaigns';
import { Clock } from '@app/common';
import { JobName, JobProducer } from '@app/queue';
import { TelephonyPort } from '@app/telephony';
import { decide } from '../pacing/pacer';
import type { PacingDecision } from '../pacing/pacing-snapshot';
import { DialerSnapshotRepository, type PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';
import { PacingStatisticsStore } from '../pacing-snapshot/pacing-statistics.store';
import { DialerLineSettlementService } from '../line-settlement/dialer-line-settlement.service';
import { DialerSessionRepository } from '../volunteer-states/dialer-session.repository';
import { DialerLeaseRepository, type DialedLine, type DialKind } from './dialer-lease.repository';
import { pacingPoolLockKey } from './pacing-pool-lock.util';

/** A volunteer waiting for calls whose console has been silent this long is taken out of the dialer (background tabs poll once a minute at worst). */
const SILENT_VOLUNTEER_SECONDS = 120;

/** A dialer lease outlives any ring and answer by far; an expired one (a worker gone) frees the voter again. */
const DIALER_LEASE_SECONDS = 300;

export type PacingTickOutcome =
  | { readonly kind: 'paced'; readonly decision: PacingDecision; readonly calls: readonly DialedLine[] }
  /** Another worker holds this pool's lock right now: it paces, this one does nothing. */
  | { readonly kind: 'busy' }
  /** Not an active power or predictive campaign: nothing to pace. */
  | { readonly kind: 'idle' };

/**
 * One pacing tick of one pool: under the pool's lock, read its picture, fold what the pacer
 * learned, decide, and lease and write the calls it decided on, all in one transaction; then
 * enqueue one place-call job per call (job id = call id). A tick that dies before the commit
 * leaves nothing; one that dies after it leaves rows whose jobs the next tick or the stalled-job
 * check finds, and a place-call job never asks the carrier twice for one row.
 */
@Injectable()
export class PacingTickService {
  private readonly logger = new Logger(PacingTickService.name);
  private readonly openZones = new OpenZonesCache();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly snapshots: DialerSnapshotRepository,
    private readonly statistics: PacingStatisticsStore,
    private readonly leases: DialerLeaseRepository,
    private readonly producer: JobProducer,
    private readonly telephony: TelephonyPort,
    private readonly clock: Clock,
    private readonly settlement: DialerLineSettlementService,
    private readonly volunteers: DialerSessionRepository,
  ) {}

  /** `now` is the clock's unless a test puts the phone bank at a given hour (the database's own now() still rules leases). */
  async tick(pool: PacingPool, now: Date = this.clock.now()): Promise<PacingTickOutcome> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<PacingTickOutcome> => {
      const [{ locked }] = await manager.query<Array<{ locked: boolean }>>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [
        pacingPoolLockKey(pool),
      ]);
      if (!locked) return { kind: 'busy' };
      // Lines that ended since the last tick give their voters back (or close them) before new ones are picked.
      await this.settlement.settlePool(manager, pool, this.clock.now());
      await this.volunteers.releaseLeaving(manager, pool);
      const silent = await this.volunteers.releaseSilent(manager, pool, SILENT_VOLUNTEER_SECONDS);
      if (silent > 0) this.logger.warn({ message: 'volunteers not heard from left the dialer', ...pool, volunteers: silent });
      const picture = await this.snapshots.pictureOf(
        manager,
        pool,
        (window) => ({ openTimeZones: this.openZones.openAt(now, window), unknownZoneOpen: isWithinCallingWindow(null, now, window) }),
        // No tick dials more than every available volunteer's full share of lines.
        256,
      );
      if (picture === null) return { kind: 'idle' };
      const statistics = await this.statistics.fold(pool, picture.settings.abandonRateTarget);
      const decision = decide({ ...picture, statistics }, now.getTime());
      const calls: DialedLine[] = [];
      for (const [kind, count] of [
        ['approved', decision.approved],
        ['volunteer-initiated', decision.volunteerInitiated],
        ['automatic', decision.automatic],
      ] as Array<[DialKind, number]>) {
        const dialed = await this.leases.leaseAndWriteCalls(manager, {
          pool,
          callable: picture.callable,
          kind,
          count,
          leaseSeconds: DIALER_LEASE_SECONDS,
          provider: this.telephony.provider,
        });
        calls.push(...dialed);
      }
      return { kind: 'paced', decision, calls };
    });
    if (outcome.kind === 'paced') {
      for (const call of outcome.calls) await this.producer.enqueue(JobName.PlaceCall, { callId: call.callId }, { jobId: `place-call-${call.callId}` });
      if (outcome.calls.length > 0) {
        this.logger.debug({
          message: 'paced',
          ...pool,
          calls: outcome.calls.length,
          basis: outcome.decision.basis,
          riskAllowance: outcome.decision.estimate.riskAllowance,
        });
      }
    }
    return outcome;
  }
}
