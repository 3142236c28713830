import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobName, JobProducer } from '@app/queue';
import { PacingSweepRepository } from './pacing-sweep.repository';

/** How often the sweep runs: each live pool is paced at least this often, besides the ticks events ask for. */
export const PACING_SWEEP_EVERY_MS = 1000;

/** One scheduler for the whole dialer queue: every worker upserts the same one. */
export const PACING_SWEEP_SCHEDULER_ID = 'dialer-pacing-sweep';

/** Less than the sweep's period, so each sweep may add a pool's tick once, and two sweeps close together add one. */
const SWEEP_TICK_WINDOW_MS = 900;

/** A call or event older than this without progress lost its job (a normal one is picked up within milliseconds). */
const STRANDED_AFTER_SECONDS = 30;
/**
 * An unasked call this old whose place-call job is not waiting lost it (a worker killed between the
 * tick's commit and its enqueue): it is canceled now rather than holding the pool's lines for 30 s.
 */
const UNASKED_AFTER_SECONDS = 5;
const REDRIVE_LIMIT = 100;

export interface SweepOutcome {
  readonly pools: number;
  readonly redrivenCalls: number;
  readonly redrivenEvents: number;
}

/**
 * The dialer's periodic heartbeat, a BullMQ job scheduler: every second it asks for a tick of each
 * live pool (deduplicated, so a pool never has more than one waiting) and redrives the work a
 * killed worker or a restarted Redis may have dropped. Every job it enqueues is idempotent and keyed
 * by rows in PostgreSQL, so the sweep running twice, or on two workers, only repeats no-ops.
 */
@Injectable()
export class PacingSweepService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sweeps: PacingSweepRepository,
    private readonly producer: JobProducer,
  ) {}

  /** Upserted by every dialer worker at start-up and after Redis comes back; one scheduler whatever their number. */
  async schedule(): Promise<void> {
    await this.producer.schedule(PACING_SWEEP_SCHEDULER_ID, JobName.PacingSweep, {}, PACING_SWEEP_EVERY_MS);
  }

  async sweep(): Promise<SweepOutcome> {
    const manager = this.dataSource.manager;
    const pools = await this.sweeps.livePools(manager);
    // Its own deduplication, by time: a tick stuck with a killed worker (BullMQ gives it back after 30 s)
    // or a busy event-triggered one never keeps a pool from its periodic tick.
    for (const pool of pools) {
      await this.producer.enqueue(JobName.PacingTick, pool, {
        deduplicationId: `pacing-sweep-tick-${pool.campaignId}-${pool.organizationId}`,
        deduplicationTtlMs: SWEEP_TICK_WINDOW_MS,
      });
    }
    let redrivenCalls = 0;
    for (const call of await this.sweeps.strandedCalls(manager, UNASKED_AFTER_SECONDS, REDRIVE_LIMIT)) {
      if (call.status === 'created') {
        // Its job is still to run (a busy queue): leave it, unless it has waited too long to be placed now.
        if (call.ageSeconds < STRANDED_AFTER_SECONDS && (await this.producer.isPending(JobName.PlaceCall, `place-call-${call.id}`))) continue;
        // A call never asked for is canceled, not placed late: the voter's window was judged when it was leased, and
        // may have closed since. Cancel only: should its job place it first, a ringing call is never cut short.
        await this.producer.enqueue(JobName.EndCall, { callId: call.id, unplacedOnly: true }, { deduplicationId: `redrive-end-call-${call.id}` });
      } else {
        if (call.ageSeconds < STRANDED_AFTER_SECONDS) continue;
        // A dead worker left it asking: its own job settles it without asking again.
        await this.producer.enqueue(JobName.PlaceCall, { callId: call.id }, { deduplicationId: `redrive-place-call-${call.id}` });
      }
      redrivenCalls += 1;
    }
    const events = await this.sweeps.unappliedCallEvents(manager, STRANDED_AFTER_SECONDS, REDRIVE_LIMIT);
    for (const eventId of events) await this.producer.enqueue(JobName.CallEvent, { eventId }, { deduplicationId: `redrive-call-event-${eventId}` });
    return { pools: pools.length, redrivenCalls, redrivenEvents: events.length };
  }
}
