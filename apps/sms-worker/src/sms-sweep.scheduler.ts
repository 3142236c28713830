import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JobName, JobProducer, SchedulerKeeper } from '@app/queue';

export const SMS_SWEEP_SCHEDULER_ID = 'sms-sweep';
/** A stranded text waits 30 s before it counts as stranded; a sweep every 5 s finds it soon after. */
export const SMS_SWEEP_EVERY_MS = 5_000;

/** Keeps the sms sweep scheduled while this worker runs (see SchedulerKeeper). */
@Injectable()
export class SmsSweepScheduler implements OnApplicationShutdown {
  private readonly keeper: SchedulerKeeper;

  constructor(producer: JobProducer) {
    this.keeper = new SchedulerKeeper('sms sweep', () => producer.schedule(SMS_SWEEP_SCHEDULER_ID, JobName.SmsSweep, {}, SMS_SWEEP_EVERY_MS));
  }

  start(): Promise<void> {
    return this.keeper.start();
  }

  onApplicationShutdown(): void {
    this.keeper.stop();
  }
}
