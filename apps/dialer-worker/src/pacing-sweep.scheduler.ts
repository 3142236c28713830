import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PacingSweepService } from '@app/dialer';

/** Often enough that a Redis restarted empty has its sweep back within seconds; an upsert of the same scheduler is one small write. */
const UPSERT_EVERY_MS = 10_000;

/**
 * Keeps the dialer's sweep scheduled while this worker runs. Every replica upserts the same
 * scheduler, so there is one sweep however many run, and one still runs after any of them dies.
 */
@Injectable()
export class PacingSweepScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger(PacingSweepScheduler.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sweeps: PacingSweepService) {}

  async start(): Promise<void> {
    await this.upsert();
    this.timer = setInterval(() => void this.upsert(), UPSERT_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async upsert(): Promise<void> {
    try {
      await this.sweeps.schedule();
    } catch (error) {
      // Redis away: the next attempt (or the next replica's) schedules it once Redis is back.
      this.logger.warn({ message: 'pacing sweep not scheduled', error: error instanceof Error ? error.message : String(error) });
    }
  }
}
