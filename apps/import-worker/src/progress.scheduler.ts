import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JobName, JobProducer, SchedulerKeeper } from '@app/queue';

export const PROGRESS_ROLLUP_SCHEDULER_ID = 'progress-rollup';
/** The dashboard moves while phone banks run: attempts are counted within about a second of being saved. */
export const PROGRESS_ROLLUP_EVERY_MS = 1_000;
export const PROGRESS_RECONCILE_SCHEDULER_ID = 'progress-reconcile';
export const PROGRESS_RECONCILE_EVERY_MS = 3_600_000;

/** Keeps the progress rollup and its hourly reconciliation scheduled while this worker runs (see SchedulerKeeper). */
@Injectable()
export class ProgressScheduler implements OnApplicationShutdown {
  private readonly keepers: readonly SchedulerKeeper[];

  constructor(producer: JobProducer) {
    this.keepers = [
      new SchedulerKeeper('progress rollup', () => producer.schedule(PROGRESS_ROLLUP_SCHEDULER_ID, JobName.ProgressRollup, {}, PROGRESS_ROLLUP_EVERY_MS)),
      new SchedulerKeeper('progress reconciliation', () =>
        producer.schedule(PROGRESS_RECONCILE_SCHEDULER_ID, JobName.ProgressReconcile, {}, PROGRESS_RECONCILE_EVERY_MS),
      ),
    ];
  }

  async start(): Promise<void> {
    for (const keeper of this.keepers) await keeper.start();
  }

  onApplicationShutdown(): void {
    for (const keeper of this.keepers) keeper.stop();
  }
}
