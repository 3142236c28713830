import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { JobDispatcher } from './job-dispatcher.service';
import { QUEUE_CONCURRENCY_LIMIT, type QueueName } from './queue-name.enum';
import { WorkerHeartbeat } from './worker-heartbeat.service';

/**
 * Workers are declared with `autorun: false`, so nothing is consumed while the process is still
 * wiring itself up. `start` checks every job has a handler, then resumes them all. On shutdown
 * they stop taking jobs and finish the running ones before any connection pool closes.
 */
@Injectable()
export class QueueWorkerLifecycle implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkerLifecycle.name);
  private readonly started: WorkerHost[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly dispatcher: JobDispatcher,
    private readonly heartbeat: WorkerHeartbeat,
    private readonly config: AppConfig,
  ) {}

  async start(workerName: string, queues: readonly QueueName[]): Promise<void> {
    this.dispatcher.assertHandlersFor(queues);
    const hosts = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    for (const queue of queues) {
      const host = hosts.find((candidate) => candidate.worker.name === queue);
      if (host === undefined) throw new Error(`Refusing to start: no processor consumes queue "${queue}".`);
      host.worker.concurrency = Math.min(this.config.queue.concurrency, QUEUE_CONCURRENCY_LIMIT[queue] ?? Number.POSITIVE_INFINITY);
      this.started.push(host);
      void host.worker.run().catch((error: unknown) => this.logger.error({ err: error, queue }, 'worker stopped with an error'));
      await host.worker.waitUntilReady();
    }
    await this.heartbeat.start(workerName);
    this.logger.log({ queues, concurrency: this.config.queue.concurrency }, 'worker consuming');
  }

  /** Runs before any module's onApplicationShutdown, so the database is still open while jobs finish. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.heartbeat.markStopping();
    await Promise.all(this.started.map((host) => host.worker.close()));
    this.logger.log({ workers: this.started.length }, 'workers drained');
  }
}
