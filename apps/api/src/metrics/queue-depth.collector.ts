import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MetricsService } from '@app/observability';
import { QueueName } from '@app/queue';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;
const TIMEOUT_MS = 1000;

/** Reads each queue's job counts at scrape time; a slow or absent Redis leaves the last values rather than hanging the scrape. */
@Injectable()
export class QueueDepthCollector {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly metrics: MetricsService,
  ) {}

  /** Fresh queue depths, then every metric of the process in Prometheus text. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await this.refresh();
    return { contentType: this.metrics.contentType, body: await this.metrics.render() };
  }

  private async refresh(): Promise<void> {
    await Promise.all(
      Object.values(QueueName).map(async (name) => {
        const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
        let timer: NodeJS.Timeout | undefined;
        const counts = await Promise.race([
          queue.getJobCounts(...STATES),
          new Promise<undefined>((resolveTimeout) => {
            timer = setTimeout(() => resolveTimeout(undefined), TIMEOUT_MS);
          }),
        ]).catch(() => undefined);
        if (timer) clearTimeout(timer);
        if (counts === undefined) return;
        for (const state of STATES) this.metrics.queueJobs.set({ queue: name, state }, counts[state] ?? 0);
      }),
    );
  }
}
