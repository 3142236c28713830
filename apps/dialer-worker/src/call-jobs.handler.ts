import { Injectable } from '@nestjs/common';
import { CallDialingService, CallEventService } from '@app/contacts';
import { DialerCallEventService } from '@app/dialer';
import { JobHandler, JobName, type JobPayloads, JobResult } from '@app/queue';

/**
 * Calls on the dialer queue. Each job names a row whose state decides what happens, so a job run
 * twice (a retry, a stalled job taken over) asks the carrier at most once and applies an event once.
 */
@Injectable()
export class CallJobsHandler {
  constructor(
    private readonly dialing: CallDialingService,
    private readonly events: CallEventService,
    private readonly dialerEvents: DialerCallEventService,
  ) {}

  @JobHandler(JobName.PlaceCall)
  async place(payload: JobPayloads[JobName.PlaceCall]): Promise<JobResult> {
    const result = await this.dialing.place(payload.callId);
    // Refused or never rang: no carrier event will come, so a dialer line is settled here.
    if (result === 'failed') await this.dialerEvents.afterEndedUnplaced(payload.callId);
    return result === 'placed' ? JobResult.Success : result === 'skipped' ? JobResult.Skipped : JobResult.Failed;
  }

  @JobHandler(JobName.EndCall)
  async end(payload: JobPayloads[JobName.EndCall]): Promise<JobResult> {
    const result = payload.unplacedOnly === true ? await this.dialing.cancelUnplaced(payload.callId) : await this.dialing.end(payload.callId);
    // A call canceled before it was placed ends here; settling one still ringing finds nothing to do yet.
    if (result === 'ended') await this.dialerEvents.afterEndedUnplaced(payload.callId);
    return result === 'ended' ? JobResult.Success : JobResult.Skipped;
  }

  @JobHandler(JobName.CallEvent)
  async applyEvent(payload: JobPayloads[JobName.CallEvent]): Promise<JobResult> {
    const result = await this.events.apply(payload.eventId);
    // Only a fresh application teaches the pacer: a repeated job finds the event applied and says 'skipped'.
    if (result === 'applied') await this.dialerEvents.afterApplied(payload.eventId);
    return result === 'skipped' ? JobResult.Skipped : JobResult.Success;
  }
}
