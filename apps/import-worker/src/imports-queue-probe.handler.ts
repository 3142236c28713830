import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads, type JobResult, QueueProbeService } from '@app/queue';

@Injectable()
export class ImportsQueueProbeHandler {
  constructor(private readonly probes: QueueProbeService) {}

  @JobHandler(JobName.ImportsQueueProbe)
  handle(payload: JobPayloads[JobName.ImportsQueueProbe]): Promise<JobResult> {
    return this.probes.markProcessed(payload.probeId, 'import-worker');
  }
}
