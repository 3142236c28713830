import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DISPOSITION_DETAILS, Disposition } from '@app/campaigns';
import { type AttemptDefinitions, type OptOutBatch, ProgressRollupRepository } from './progress-rollup.repository';

/** Attempts counted per transaction: big enough that the hot rows are written rarely, small enough to commit in well under a second. */
export const PROGRESS_BATCH_SIZE = 5_000;

/** What counts as a conversation and an opt-out, from the dispositions' own definitions. */
export const ATTEMPT_DEFINITIONS: AttemptDefinitions = {
  conversations: Object.values(Disposition).filter((disposition) => DISPOSITION_DETAILS[disposition].isConversation),
  optOuts: [Disposition.DoNotCall],
};

export interface RollupOutcome {
  /** Attempts counted by this run. */
  readonly counted: number;
  /** Text opt-outs (STOP, carrier 21610) counted by this run; one naming no conversation leaves the queue uncounted. */
  readonly optOuts: number;
  readonly batches: number;
  /** Another rollup held the lock: it counts what is queued. */
  readonly busy: boolean;
}

/**
 * Keeps the progress rollups in step with contact attempts and text opt-outs: drains the queues
 * their triggers fill, a batch of each per transaction, until both are empty (or `maxBatches` were
 * counted, or with `keepUp` a batch was not full). Run twice or by two workers at once, it counts each once: the batch leaves the queue
 * in the transaction that counts it, and one rollup runs at a time.
 */
@Injectable()
export class ProgressRollupService {
  private readonly logger = new Logger(ProgressRollupService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: ProgressRollupRepository,
  ) {}

  /**
   * `keepUp`: the scheduled run's way, which stops after a batch that was not full. Attempts saved
   * while a batch was counted wait for the next run (a second later) and are counted together:
   * chasing them one small batch after another pays each batch's fixed cost (its temporary tables,
   * the figures' upsert) a hundred times a second while phone banks are busiest.
   */
  async run(options: { batchSize?: number; maxBatches?: number; keepUp?: boolean } = {}): Promise<RollupOutcome> {
    const batchSize = options.batchSize ?? PROGRESS_BATCH_SIZE;
    const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
    let counted = 0;
    let optOuts = 0;
    let batches = 0;
    if (!(await this.rollups.anyPending(this.dataSource.manager))) return { counted, optOuts, batches, busy: false };
    while (batches < maxBatches) {
      const step = await this.dataSource.transaction(async (manager): Promise<{ attempts: number; optOutBatch: OptOutBatch } | 'busy'> => {
        if (!(await this.rollups.lock(manager))) return 'busy';
        const attempts = await this.rollups.claimBatch(manager, batchSize, ATTEMPT_DEFINITIONS);
        if (attempts > 0) await this.rollups.countBatch(manager);
        // Either order is exact (a counted opt-out moves to the county its voter's first attempt
        // freezes); the attempts first spare the move when both arrive in one batch.
        const optOutBatch = await this.rollups.claimOptOutBatch(manager, batchSize);
        if (optOutBatch.counted > 0) await this.rollups.countOptOutBatch(manager);
        return { attempts, optOutBatch };
      });
      if (step === 'busy') return { counted, optOuts, batches, busy: true };
      if (step.attempts === 0 && step.optOutBatch.claimed === 0) break;
      counted += step.attempts;
      optOuts += step.optOutBatch.counted;
      batches += 1;
      if (options.keepUp === true && step.attempts < batchSize && step.optOutBatch.claimed < batchSize) break;
    }
    if (counted > 0 || optOuts > 0) this.logger.debug({ message: 'progress counted', attempts: counted, optOuts, batches });
    return { counted, optOuts, batches, busy: false };
  }

  /** Attempts queued and not yet counted. */
  queuedCount(): Promise<number> {
    return this.rollups.pendingCount(this.dataSource.manager);
  }
}
