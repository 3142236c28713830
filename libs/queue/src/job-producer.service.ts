import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ClsService } from 'nestjs-cls';
import type { JobName } from './job-name.enum';
import { JOB_QUEUE, type JobEnvelope, type JobPayloads } from './job-registry';

export interface EnqueueOptions {
  /** A job with this id that already exists is not added again (deduplication per entity). */
  readonly jobId?: string;
  readonly delayMs?: number;
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
    const job = await queue.add(name, envelope, { jobId: options.jobId, delay: options.delayMs });
    return job.id ?? '';
  }
}
