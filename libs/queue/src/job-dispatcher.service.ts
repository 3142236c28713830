import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { CLS_ID, ClsService } from 'nestjs-cls';
import { MetricsService } from '@app/observability';
import { JOB_HANDLER_METADATA } from './job-handler.decorator';
import type { JobName } from './job-name.enum';
import { isJobName, type JobEnvelope, jobNamesOf } from './job-registry';
import { JobResult } from './job-result.enum';
import type { QueueName } from './queue-name.enum';

type Handler = (payload: unknown) => Promise<JobResult>;

export class MissingJobHandlerError extends Error {
  constructor(missing: readonly JobName[]) {
    super(
      `Refusing to start: no @JobHandler for ${missing.map((name) => `"${name}"`).join(', ')}. ` +
        'Every job name of the queues this worker consumes needs exactly one handler.',
    );
    this.name = 'MissingJobHandlerError';
  }
}

/** Routes each job to its one handler, inside the correlation id of the request that enqueued it. */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly logger = new Logger(JobDispatcher.name);
  private readonly handlers = new Map<JobName, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly cls: ClsService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName];
        if (typeof method !== 'function') continue;
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER_METADATA, method as () => unknown);
        if (name === undefined) continue;
        if (this.handlers.has(name)) throw new Error(`Two @JobHandler methods for job "${name}"; there must be exactly one.`);
        this.handlers.set(name, (payload) => (method as (payload: unknown) => Promise<JobResult>).call(instance, payload));
      }
    }
  }

  assertHandlersFor(queues: readonly QueueName[]): void {
    const missing = queues.flatMap(jobNamesOf).filter((name) => !this.handlers.has(name));
    if (missing.length > 0) throw new MissingJobHandlerError(missing);
  }

  async dispatch(queue: QueueName, job: Job<JobEnvelope>): Promise<JobResult> {
    const handler = isJobName(job.name) ? this.handlers.get(job.name) : undefined;
    if (handler === undefined) {
      // Fails the job (kept for redrive) rather than dropping work we cannot route.
      throw new Error(`no handler for job "${job.name}" on queue "${queue}"`);
    }
    return this.cls.run(async () => {
      this.cls.set(CLS_ID, job.data.correlationId);
      const context = { queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 };
      this.logger.log(context, 'job started');
      try {
        const result = await handler(job.data.payload);
        this.metrics.jobsProcessed.inc({ queue, job: job.name, result });
        if (result === JobResult.Failed) this.logger.warn({ ...context, result }, 'job failed permanently, not retried');
        else this.logger.log({ ...context, result }, 'job finished');
        return result;
      } catch (error) {
        this.metrics.jobsProcessed.inc({ queue, job: job.name, result: 'error' });
        this.logger.error({ ...context, err: error }, 'job failed');
        throw error;
      }
    });
  }
}
