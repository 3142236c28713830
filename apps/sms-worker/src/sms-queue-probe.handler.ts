import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobPayloads, type JobResult, QueueProbeService } from '@app/queue';

@Injectable()
export class SmsQueueProbeHandler {
  constructor(private readonly probes: QueueProbeService) {}

  @JobHandler(JobName.SmsQueueProbe)
  handle(payload: JobPayloads[JobName.SmsQueueProbe]): Promise<JobResult> {
    return this.probes.markProcessed(payload.probeId, 'sms-worker');
  }
}
