import { Injectable } from '@nestjs/common';
import { PacingSweepService, PacingTickService } from '@app/dialer';
import { JobHandler, JobName, type JobPayloads, JobResult } from '@app/queue';

/**
 * Pacing on the dialer queue. A tick reads the pool's state from the database and decides from
 * it, so a tick run twice (a retry, a stalled job taken over, a tick and an event-triggered one)
 * places only what the second look still finds missing; two at once are kept apart by the pool's
 * lock. The sweep only asks for ticks and re-enqueues work by row, so running it twice repeats no-ops.
 */
@Injectable()
export class PacingJobsHandler {
  constructor(
    private readonly pacing: PacingTickService,
    private readonly sweeps: PacingSweepService,
  ) {}

  @JobHandler(JobName.PacingTick)
  async tick(payload: JobPayloads[JobName.PacingTick]): Promise<JobResult> {
    const outcome = await this.pacing.tick(payload);
    return outcome.kind === 'paced' ? JobResult.Success : JobResult.Skipped;
  }

  @JobHandler(JobName.PacingSweep)
  async sweep(): Promise<JobResult> {
    const outcome = await this.sweeps.sweep();
    return outcome.pools + outcome.redrivenCalls + outcome.redrivenEvents > 0 ? JobResult.Success : JobResult.Skipped;
  }
}
