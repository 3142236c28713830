import { Logger } from '@nestjs/common';

/** Often enough that a Redis restarted empty has its schedulers back within seconds; an upsert of the same scheduler is one small write. */
const UPSERT_EVERY_MS = 10_000;

/**
 * Keeps one BullMQ job scheduler in place while a worker runs. Every replica upserts the same
 * scheduler, so there is one schedule however many run, and it survives any of them dying.
 */
export class SchedulerKeeper {
  private readonly logger = new Logger(SchedulerKeeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly label: string,
    private readonly upsert: () => Promise<void>,
  ) {}

  async start(): Promise<void> {
    await this.upsertOnce();
    this.timer = setInterval(() => void this.upsertOnce(), UPSERT_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async upsertOnce(): Promise<void> {
    try {
      await this.upsert();
    } catch (error) {
      // Redis away: the next attempt (or the next replica's) schedules it once Redis is back.
      this.logger.warn({ message: `${this.label} not scheduled`, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
