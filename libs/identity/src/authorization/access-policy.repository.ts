import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { OrganizationKind } from '../entities/organization-kind.enum';

export interface PolicyAlliance {
  readonly id: string;
  readonly slug: string;
}

export interface PolicyOrganization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly regionCounties: string[];
  readonly memberIds: string[];
}

/** The few facts the policy layer needs that a session does not carry. */
@Injectable()
export class AccessPolicyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findAlliance(key: { slug: string } | { id: string }): Promise<PolicyAlliance | null> {
    const [row] = (await this.dataSource.query(
      'slug' in key ? `SELECT id, slug FROM alliance WHERE slug = $1` : `SELECT id, slug FROM alliance WHERE id = $1`,
      ['slug' in key ? key.slug : key.id],
    )) as PolicyAlliance[];
    return row ?? null;
  }

  findOrganizations(allianceId: string, organizationIds: readonly string[]): Promise<PolicyOrganization[]> {
    return this.dataSource.query(
      `SELECT o.id, o.slug, o.name, o.kind, o.region_counties AS "regionCounties",
              ARRAY(SELECT m.id FROM organization m WHERE m.parent_anchor_id = o.id ORDER BY m.id)::text[] AS "memberIds"
         FROM organization o
        WHERE o.alliance_id = $1 AND o.id = ANY($2::uuid[])`,
      [allianceId, organizationIds],
    );
  }
}
