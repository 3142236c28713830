import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { QueueProbeEntity, QueueProbeStatus } from './queue-probe.entity';

@Injectable()
export class QueueProbeRepository {
  private readonly probes: Repository<QueueProbeEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.probes = dataSource.getRepository(QueueProbeEntity);
  }

  async createBatch(batchId: string, queueNames: readonly string[], correlationId: string): Promise<QueueProbeEntity[]> {
    const rows = queueNames.map((queueName) => this.probes.create({ batchId, queueName, correlationId }));
    return this.probes.save(rows);
  }

  findBatch(batchId: string): Promise<QueueProbeEntity[]> {
    return this.probes.find({ where: { batchId }, order: { queueName: 'ASC' } });
  }

  findOne(id: string): Promise<QueueProbeEntity | null> {
    return this.probes.findOne({ where: { id } });
  }

  /** The state guard that makes the job idempotent: only a pending probe moves, once. */
  async markProcessedIfPending(id: string, processedBy: string): Promise<boolean> {
    const result = await this.probes
      .createQueryBuilder()
      .update(QueueProbeEntity)
      .set({ status: QueueProbeStatus.Processed, processedBy, processedAt: () => 'now()' })
      .where('id = :id AND status = :pending', { id, pending: QueueProbeStatus.Pending })
      .execute();
    return (result.affected ?? 0) === 1;
  }
}
