import { Injectable } from '@nestjs/common';
import { MessageEventService, MessageSendService, MessageSweepService, sendJobId } from '@app/messaging';
import { JobHandler, JobName, type JobPayloads, JobProducer, JobResult } from '@app/queue';

/**
 * Texts on the sms queue. Each job names a row whose state decides what happens, so a job run twice
 * (a retry, a stalled job taken over, a sweep's copy) sends at most once and applies an event once.
 */
@Injectable()
export class SmsJobsHandler {
  constructor(
    private readonly sender: MessageSendService,
    private readonly events: MessageEventService,
    private readonly sweeps: MessageSweepService,
    private readonly producer: JobProducer,
  ) {}

  @JobHandler(JobName.SmsSend)
  async send(payload: JobPayloads[JobName.SmsSend]): Promise<JobResult> {
    const outcome = await this.sender.send(payload.messageId, payload.slotAt);
    switch (outcome.kind) {
      case 'sent':
        return JobResult.Success;
      case 'deferred':
        await this.later(payload.messageId, outcome.slotAt, `slot-${outcome.slotAt}`, outcome.slotAt);
        return JobResult.Success;
      case 'held':
        await this.later(payload.messageId, outcome.until.getTime(), `held-${outcome.until.getTime()}`, undefined);
        return JobResult.Success;
      case 'retry':
        // A new job at the row's backoff: it reserves a fresh slot, so a retry keeps the sending number's pace.
        await this.later(payload.messageId, outcome.at.getTime(), `retry-${outcome.at.getTime()}`, undefined);
        return JobResult.Success;
      case 'failed':
      case 'canceled':
        return JobResult.Failed;
      case 'unknown':
      case 'skipped':
        return JobResult.Skipped;
    }
  }

  @JobHandler(JobName.SmsStatus)
  async applyStatus(payload: JobPayloads[JobName.SmsStatus]): Promise<JobResult> {
    return (await this.events.applyStatus(payload.eventId)) === 'skipped' ? JobResult.Skipped : JobResult.Success;
  }

  @JobHandler(JobName.SmsInbound)
  async applyInbound(payload: JobPayloads[JobName.SmsInbound]): Promise<JobResult> {
    return (await this.events.applyInbound(payload.eventId)) === 'skipped' ? JobResult.Skipped : JobResult.Success;
  }

  @JobHandler(JobName.SmsSweep)
  async sweep(): Promise<JobResult> {
    await this.sweeps.sweep();
    return JobResult.Success;
  }

  private async later(messageId: string, at: number, suffix: string, slotAt: number | undefined): Promise<void> {
    await this.producer.enqueue(JobName.SmsSend, slotAt === undefined ? { messageId } : { messageId, slotAt }, {
      jobId: sendJobId(messageId, suffix),
      delayMs: Math.max(0, at - Date.now()),
    });
  }
}
