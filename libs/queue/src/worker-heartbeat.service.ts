import { hostname } from 'node:os';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisClient } from './redis-client.provider';

export type WorkerState = 'starting' | 'running' | 'stopping';

export interface Heartbeat {
  readonly worker: string;
  readonly host: string;
  readonly pid: number;
  readonly state: WorkerState;
  readonly at: string;
}

const INTERVAL_MS = 5000;
const TIME_TO_LIVE_MS = 15000;

/**
 * Workers have no HTTP server; they prove they are alive by refreshing a short-lived key that
 * the `health` command (and a container health check) reads.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private state: WorkerState = 'starting';
  private worker = '';

  constructor(
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  static key(prefix: string, worker: string, host = hostname()): string {
    return `${prefix}:heartbeat:${worker}:${host}`;
  }

  async start(worker: string): Promise<void> {
    this.worker = worker;
    this.state = 'running';
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), INTERVAL_MS);
    this.timer.unref();
  }

  /** Health checks see a draining worker as not running while its last jobs finish. */
  async markStopping(): Promise<void> {
    if (!this.worker) return;
    this.state = 'stopping';
    await this.beat().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.worker) await this.redis.connection.del(WorkerHeartbeat.key(this.config.queue.prefix, this.worker)).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const heartbeat: Heartbeat = { worker: this.worker, host: hostname(), pid: process.pid, state: this.state, at: new Date().toISOString() };
    await this.redis.connection.set(WorkerHeartbeat.key(this.config.queue.prefix, this.worker), JSON.stringify(heartbeat), 'PX', TIME_TO_LIVE_MS);
  }
}
