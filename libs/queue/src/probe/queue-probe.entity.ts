import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum QueueProbeStatus {
  Pending = 'pending',
  Processed = 'processed',
}

/**
 * One end-to-end check of one queue: written by the api, enqueued, and marked processed by the
 * worker that owns the queue. Operators and the demo use it to prove the workers really consume.
 */
@Entity('queue_probe')
export class QueueProbeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  batchId!: string;

  @Column({ type: 'text' })
  queueName!: string;

  @Column({ type: 'enum', enum: QueueProbeStatus, enumName: 'queue_probe_status', default: QueueProbeStatus.Pending })
  status!: QueueProbeStatus;

  @Column({ type: 'text' })
  correlationId!: string;

  @Column({ type: 'text', nullable: true })
  processedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
