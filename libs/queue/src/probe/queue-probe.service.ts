import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { NotFoundDomainException } from '@app/common';
import { JobName } from '../job-name.enum';
import { JobProducer } from '../job-producer.service';
import { JobResult } from '../job-result.enum';
import { QueueName } from '../queue-name.enum';
import type { QueueProbeEntity } from './queue-probe.entity';
import { QueueProbeRepository } from './queue-probe.repository';

const PROBE_JOB: {
  readonly [Queue in QueueName]: JobName.DialerQueueProbe | JobName.SmsQueueProbe | JobName.ImportsQueueProbe | JobName.ProgressQueueProbe;
} = {
  [QueueName.Dialer]: JobName.DialerQueueProbe,
  [QueueName.Sms]: JobName.SmsQueueProbe,
  [QueueName.Imports]: JobName.ImportsQueueProbe,
  [QueueName.Progress]: JobName.ProgressQueueProbe,
};

/** End-to-end proof that each worker consumes its queue: row first, then the job, then the worker's mark. */
@Injectable()
export class QueueProbeService {
  constructor(
    private readonly probes: QueueProbeRepository,
    private readonly producer: JobProducer,
    private readonly cls: ClsService,
  ) {}

  async start(): Promise<{ batchId: string; probes: QueueProbeEntity[] }> {
    const batchId = randomUUID();
    const correlationId = (this.cls.getId() as string | undefined) ?? batchId;
    const probes = await this.probes.createBatch(batchId, Object.values(QueueName), correlationId);
    for (const probe of probes) {
      await this.producer.enqueue(PROBE_JOB[probe.queueName as QueueName], { probeId: probe.id }, { jobId: `queue-probe-${probe.id}` });
    }
    return { batchId, probes };
  }

  async findBatch(batchId: string): Promise<QueueProbeEntity[]> {
    const probes = await this.probes.findBatch(batchId);
    if (probes.length === 0) throw new NotFoundDomainException('Queue probe batch', batchId);
    return probes;
  }

  /** Called by the worker's handler; a second delivery of the same job changes nothing. */
  async markProcessed(probeId: string, workerName: string): Promise<JobResult> {
    const changed = await this.probes.markProcessedIfPending(probeId, `${workerName}@${hostname()}`);
    return changed ? JobResult.Success : JobResult.Skipped;
  }
}
