import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AllianceEntity } from './alliance.entity';
import { AppUserEntity } from './app-user.entity';
import { MembershipRole } from './membership-role.enum';
import { OrganizationEntity } from './organization.entity';

/** user × organization × role; alliance-wide roles have no organization (uniqueness: see the migration, NULLS NOT DISTINCT). */
@Entity('membership')
export class MembershipEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => AppUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: AppUserEntity;

  @Column({ type: 'uuid' })
  allianceId!: string;

  @ManyToOne(() => AllianceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alliance_id' })
  alliance?: AllianceEntity;

  @Column({ type: 'uuid', nullable: true })
  organizationId!: string | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: OrganizationEntity | null;

  @Column({ type: 'enum', enum: MembershipRole, enumName: 'membership_role' })
  role!: MembershipRole;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
