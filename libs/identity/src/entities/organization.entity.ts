import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AllianceEntity } from './alliance.entity';
import { OrganizationKind } from './organization-kind.enum';

/** An anchor (with a region of counties) or a member (under one anchor) of an alliance. */
@Entity('organization')
@Index(['allianceId', 'slug'], { unique: true })
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  allianceId!: string;

  @ManyToOne(() => AllianceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alliance_id' })
  alliance?: AllianceEntity;

  @Column({ type: 'enum', enum: OrganizationKind, enumName: 'organization_kind' })
  kind!: OrganizationKind;

  /** Set for members only: the anchor whose regional coalition they belong to. */
  @Column({ type: 'uuid', nullable: true })
  parentAnchorId!: string | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_anchor_id' })
  parentAnchor?: OrganizationEntity | null;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  /** For anchors: the counties of their region. Members work inside their anchor's region. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  regionCounties!: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
