import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createRedisConnection } from '@app/queue';
import { type TestContext, WorkerProcess } from '@app/testing';
import type { CarrierSimulator } from '../apps/carrier-sim/src';

/**
 * A slice of production for a test: the carrier simulator and the api in this process (the api on a
 * real port, so the carrier's signed callbacks reach it over HTTP), and workers as real child
 * processes of the built `dist/` (so a test can `kill -9` one).
 */
export interface WorkerProcessStack {
  readonly context: TestContext;
  readonly api: INestApplication;
  readonly simulator: CarrierSimulator;
  /** Owner-level SQL (outside the row policies), to seed and to audit. */
  readonly sql: DataSource;
  readonly baseUrl: string;
  readonly workers: WorkerProcess[];
  /** Starts one more worker process; resolves once it consumes and has scheduled its sweep. */
  startWorker(label?: string): Promise<WorkerProcess>;
  dispose(): Promise<void>;
}

export interface ScheduledWorkerOptions {
  readonly context: TestContext;
  readonly script: string;
  readonly environment: NodeJS.ProcessEnv;
  readonly label: string;
  /** The job scheduler the worker upserts at start-up (its sweep): it consumes from then on. */
  readonly schedulerId: string;
  /** The stack's workers: the new one joins them at once, so the stack stops it even if it never schedules. */
  readonly workers: WorkerProcess[];
}

/**
 * A worker as a real child process of the built `dist/`, resolved once it has upserted its sweep's
 * job scheduler: until then a test would wait on nothing.
 */
export async function startScheduledWorker(options: ScheduledWorkerOptions): Promise<WorkerProcess> {
  const { context, label, schedulerId } = options;
  const worker = WorkerProcess.start({ script: options.script, environment: options.environment, label });
  options.workers.push(worker);
  const redis = createRedisConnection(context.endpoints, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      // BullMQ keeps job schedulers in a sorted set named `<prefix>:<queue>:repeat`.
      const keys = await redis.keys(`${context.config.queue.prefix}:*:repeat`);
      const members = (await Promise.all(keys.map((key) => redis.zrange(key, 0, -1)))).flat();
      if (members.includes(schedulerId)) return worker;
      if (!worker.running) throw new Error(`${label} exited before scheduling ${schedulerId}:\n${worker.errorTail()}`);
      if (Date.now() > deadline) throw new Error(`${label} did not schedule ${schedulerId} within 20 s:\n${worker.errorTail()}`);
      await new Promise((resolveLater) => setTimeout(resolveLater, 100));
    }
  } finally {
    redis.disconnect();
  }
}
