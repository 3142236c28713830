import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface CampaignRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: Date;
}

const COLUMNS = `id, alliance_id AS "allianceId", slug, name, created_at AS "createdAt"`;

@Injectable()
export class CampaignRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Null when the alliance already has a campaign with that slug. */
  async insert(allianceId: string, slug: string, name: string): Promise<CampaignRecord | null> {
    const rows: CampaignRecord[] = await this.dataSource.query(
      `INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (alliance_id, slug) DO NOTHING RETURNING ${COLUMNS}`,
      [allianceId, slug, name],
    );
    return rows[0] ?? null;
  }

  async findBySlug(allianceId: string, slug: string): Promise<CampaignRecord | null> {
    const rows: CampaignRecord[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM campaign WHERE alliance_id = $1 AND slug = $2`, [allianceId, slug]);
    return rows[0] ?? null;
  }

  list(allianceId: string): Promise<CampaignRecord[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM campaign WHERE alliance_id = $1 ORDER BY created_at DESC, slug`, [allianceId]);
  }
}
