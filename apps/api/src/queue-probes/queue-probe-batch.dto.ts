import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { QueueProbeEntity } from '@app/queue';

export class QueueProbeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'dialer' })
  queue!: string;

  @ApiProperty({ enum: ['pending', 'processed'] })
  status!: string;

  @ApiProperty({ nullable: true, example: 'dialer-worker@host', type: String })
  processedBy!: string | null;

  @ApiProperty({ nullable: true, description: 'Milliseconds from the probe being written to a worker marking it', type: Number })
  latencyMs!: number | null;
}

export class QueueProbeBatchDto {
  @ApiProperty({ format: 'uuid' })
  batchId!: string;

  @ApiProperty({ description: 'True once every queue has been consumed' })
  complete!: boolean;

  @ApiProperty({ type: [QueueProbeDto] })
  probes!: QueueProbeDto[];
}

/** Starting a probe takes no input; declaring the empty body makes any property a named 400. */
export class StartQueueProbesDto {}

export class QueueProbeBatchParamsDto {
  @IsUUID('all', { message: 'batchId must be a UUID' })
  batchId!: string;
}

export function mapQueueProbeBatch(batchId: string, probes: readonly QueueProbeEntity[]): QueueProbeBatchDto {
  return {
    batchId,
    complete: probes.every((probe) => probe.status === 'processed'),
    probes: probes.map((probe) => ({
      id: probe.id,
      queue: probe.queueName,
      status: probe.status,
      processedBy: probe.processedBy,
      latencyMs: probe.processedAt ? probe.processedAt.getTime() - probe.createdAt.getTime() : null,
    })),
  };
}
