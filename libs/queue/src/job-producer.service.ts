import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ClsService } from 'nestjs-cls';
import { DomainErrorCode, DomainException } from '@app/common';
import type { JobName } from './job-name.enum';
import { JOB_QUEUE, type JobEnvelope, type JobPayloads } from './job-registry';

export interface EnqueueOptions {
  /** A job with this id that already exists is not added again (deduplication per entity). */
  readonly jobId?: string;
  readonly delayMs?: number;
  /** While a job with this deduplication id is waiting or running, adding another is a no-op (unlike jobId, it frees once the job ends). */
  readonly deduplicationId?: string;
  /** With a deduplication id: it holds for this long from the first add instead, whether the job is waiting, running or gone. */
  readonly deduplicationTtlMs?: number;
  /**
   * BullMQ priority (1 = most urgent of the prioritized). Jobs without one are taken first, in order;
   * a prioritized job waits until none is left (so new work can queue behind work already due).
   */
  readonly priority?: number;
}

/** The only way work is enqueued: typed by job name, routed to its queue, stamped with the correlation id. */
@Injectable()
export class JobProducer {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly cls: ClsService,
  ) {}

  async enqueue<Name extends JobName>(name: Name, payload: JobPayloads[Name], options: EnqueueOptions = {}): Promise<string> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(JOB_QUEUE[name]), { strict: false });
    const envelope: JobEnvelope<Name> = { payload, correlationId: (this.cls.getId() as string | undefined) ?? randomUUID() };
    // The queue's connection retries forever (workers need that); a request must not wait forever.
    // Refuse while disconnected: an add queued offline would run minutes later, after we answered.
    const client = (await withDeadline(queue.backend.client, ENQUEUE_DEADLINE_MS)) as { status?: string } | undefined;
    if (client?.status !== 'ready') throw queueUnavailable(JOB_QUEUE[name]);
    const job = await withDeadline(
      queue.add(name, envelope, {
        jobId: options.jobId,
        delay: options.delayMs,
        ...(options.priority === undefined ? {} : { priority: options.priority }),
        ...(options.deduplicationId === undefined
          ? {}
          : { deduplication: { id: options.deduplicationId, ...(options.deduplicationTtlMs === undefined ? {} : { ttl: options.deduplicationTtlMs }) } }),
      }),
      ENQUEUE_DEADLINE_MS,
    );
    if (job === undefined) throw queueUnavailable(JOB_QUEUE[name]);
    return job.id ?? '';
  }

  /** Whether a job with this id is still to run (waiting, delayed or running), as opposed to done, failed or never added. */
  async isPending<Name extends JobName>(name: Name, jobId: string): Promise<boolean> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(JOB_QUEUE[name]), { strict: false });
    const state = await withDeadline(queue.getJobState(jobId), ENQUEUE_DEADLINE_MS);
    if (state === undefined) throw queueUnavailable(JOB_QUEUE[name]);
    return ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'].includes(state);
  }

  /**
   * A job every `everyMs`, kept in Redis as a BullMQ job scheduler under `schedulerId`: upserting it
   * again (every worker at start-up, after a reconnect) replaces it rather than adding a second one.
   */
  async schedule<Name extends JobName>(schedulerId: string, name: Name, payload: JobPayloads[Name], everyMs: number): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(JOB_QUEUE[name]), { strict: false });
    const envelope: JobEnvelope<Name> = { payload, correlationId: schedulerId };
    // Scheduled runs are frequent and carry nothing to inspect: they leave no history behind.
    const done = await withDeadline(
      queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name, data: envelope, opts: { removeOnComplete: true, removeOnFail: 100 } }),
      ENQUEUE_DEADLINE_MS,
    );
    if (done === undefined) throw queueUnavailable(JOB_QUEUE[name]);
  }
}

const ENQUEUE_DEADLINE_MS = 3000;

function queueUnavailable(queue: string): DomainException {
  return new DomainException(DomainErrorCode.DependencyUnavailable, 'The job queue (Redis) is not answering; nothing was enqueued, try again shortly', {
    queue,
  });
}

/** The promise's value, or undefined once the deadline passes. */
async function withDeadline<T>(promise: Promise<T>, deadlineMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolveLate) => (timer = setTimeout(() => resolveLate(undefined), deadlineMs)))]);
  } finally {
    clearTimeout(timer);
  }
}
