import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads, type JobResult, QueueProbeService } from '@app/queue';

@Injectable()
export class DialerQueueProbeHandler {
  constructor(private readonly probes: QueueProbeService) {}

  @JobHandler(JobName.DialerQueueProbe)
  handle(payload: JobPayloads[JobName.DialerQueueProbe]): Promise<JobResult> {
    return this.probes.markProcessed(payload.probeId, 'dialer-worker');
  }
}
