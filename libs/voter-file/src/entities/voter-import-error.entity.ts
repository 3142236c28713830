import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type VoterImportErrorKind = 'rejected' | 'dropped' | 'duplicate';

/** One problem in one line of an imported file: a rejected line, a dropped phone, or a repeated voter id. */
@Entity('voter_import_error')
export class VoterImportErrorEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  importId!: string;

  @Column({ type: 'integer' })
  lineNumber!: number;

  @Column({ type: 'text', nullable: true })
  columnName!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  kind!: VoterImportErrorKind;
}
