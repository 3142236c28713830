import { Injectable } from '@nestjs/common';
import { LineTypeFillService } from '@app/dialer';
import { JobHandler, JobName, type JobPayloads, JobResult } from '@app/queue';

/**
 * Line-type fills on the dialer queue. The fill claims each row before its lookup and never claims
 * an answered one again, so a fill run twice (a retry, a stalled job taken over, a second
 * activation) looks up only what is still missing.
 */
@Injectable()
export class LineTypeJobsHandler {
  constructor(private readonly lineTypes: LineTypeFillService) {}

  @JobHandler(JobName.LineTypeFill)
  async fill(payload: JobPayloads[JobName.LineTypeFill]): Promise<JobResult> {
    const outcome = await this.lineTypes.fill(payload.campaignId);
    return outcome.kind === 'filled' ? JobResult.Success : JobResult.Skipped;
  }
}
