import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobDispatcher, type JobEnvelope, type JobResult, QueueName } from '@app/queue';

/** Created paused (`autorun: false`); QueueWorkerLifecycle resumes it once the process is ready. */
@Processor(QueueName.Progress, { autorun: false })
export class ProgressQueueProcessor extends WorkerHost {
  constructor(private readonly dispatcher: JobDispatcher) {
    super();
  }

  process(job: Job<JobEnvelope>): Promise<JobResult> {
    return this.dispatcher.dispatch(QueueName.Progress, job);
  }
}
