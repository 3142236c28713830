import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { VoterFileFormat } from '../formats/voter-file-format';

export enum VoterImportStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  /** The file was refused (missing columns, too many bad rows, unreadable): nothing was merged. */
  Rejected = 'rejected',
  /** Something broke or the process was killed: nothing was merged. */
  Failed = 'failed',
}

export enum VoterImportPhase {
  Queued = 'queued',
  Reading = 'reading',
  Merging = 'merging',
  Done = 'done',
}

// bigint and numeric arrive from pg as strings; these read them back as numbers.
const bigintAsNumber = { to: (value: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/** One uploaded voter file and everything the data lead needs to know about its import. */
@Entity('voter_import')
export class VoterImportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  allianceId!: string;

  @Column({ type: 'text' })
  fileName!: string;

  /** Where the uploaded file waits on disk for the job; never shown to users. */
  @Column({ type: 'text', select: true })
  filePath!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  fileBytes!: number;

  /** Null until the header is read when the format was not given. */
  @Column({ type: 'text', nullable: true })
  format!: VoterFileFormat | null;

  @Column({ type: 'jsonb', nullable: true })
  mapping!: unknown;

  @Column({ type: 'boolean', default: false })
  fullRefresh!: boolean;

  @Column({ type: 'numeric', precision: 6, scale: 5, transformer: bigintAsNumber })
  maxErrorRate!: number;

  @Column({ type: 'enum', enum: VoterImportStatus, enumName: 'voter_import_status', default: VoterImportStatus.Queued })
  status!: VoterImportStatus;

  @Column({ type: 'enum', enum: VoterImportPhase, enumName: 'voter_import_phase', default: VoterImportPhase.Queued })
  phase!: VoterImportPhase;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  bytesRead!: number;

  @Column({ type: 'integer', default: 0 })
  rowsRead!: number;

  @Column({ type: 'integer', default: 0 })
  inserted!: number;

  @Column({ type: 'integer', default: 0 })
  updated!: number;

  @Column({ type: 'integer', default: 0 })
  unchanged!: number;

  @Column({ type: 'integer', default: 0 })
  deactivated!: number;

  @Column({ type: 'integer', default: 0 })
  rejected!: number;

  @Column({ type: 'integer', default: 0 })
  droppedPhones!: number;

  @Column({ type: 'integer', default: 0 })
  historyRows!: number;

  @Column({ type: 'integer', default: 0 })
  unmatched!: number;

  @Column({ type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'text', nullable: true })
  correlationId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
