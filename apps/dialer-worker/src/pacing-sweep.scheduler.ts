import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PacingSweepService } from '@app/dialer';
import { SchedulerKeeper } from '@app/queue';

/** Keeps the dialer's sweep scheduled while this worker runs (see SchedulerKeeper). */
@Injectable()
export class PacingSweepScheduler implements OnApplicationShutdown {
  private readonly keeper: SchedulerKeeper;

  constructor(sweeps: PacingSweepService) {
    this.keeper = new SchedulerKeeper('pacing sweep', () => sweeps.schedule());
  }

  start(): Promise<void> {
    return this.keeper.start();
  }

  onApplicationShutdown(): void {
    this.keeper.stop();
  }
}
