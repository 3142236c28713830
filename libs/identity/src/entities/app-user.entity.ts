import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A person who signs in; what they may do comes from their memberships. */
@Entity('app_user')
export class AppUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique across the installation. */
  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'text' })
  displayName!: string;

  /** argon2id; null until the user accepts an invitation and sets a password. */
  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
