import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The tenant root: independent organizations running one civic-engagement program together. */
@Entity('alliance')
export class AllianceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  /** The alliance's own goal; the default is the founding alliance's 500,000. */
  @Column({ type: 'integer', default: 500000 })
  voterContactGoal!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
