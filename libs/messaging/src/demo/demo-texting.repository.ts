import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The demo's shortcuts: which organization a demo login works for, and turf given to the text campaign as it was to the phone campaign. */
@Injectable()
export class DemoTextingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async organizationOfLogin(allianceId: string, email: string): Promise<string | null> {
    const rows: { organizationId: string }[] = await this.dataSource.query(
      `SELECT m.organization_id AS "organizationId" FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.alliance_id = $1 AND lower(u.email) = lower($2) AND m.organization_id IS NOT NULL LIMIT 1`,
      [allianceId, email],
    );
    return rows[0]?.organizationId ?? null;
  }

  /** Gives `toCampaign` the organization's live turf of `fromCampaign`, once; returns the voters it got (0 when it had turf). */
  async copyTurf(allianceId: string, fromCampaignId: string, toCampaignId: string, organizationId: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const existing: unknown[] = await manager.query(`SELECT 1 FROM turf_assignment WHERE campaign_id = $1 AND ended_at IS NULL LIMIT 1`, [toCampaignId]);
      if (existing.length > 0) return 0;
      const copied: { voters: number }[] = await manager.query(
        `WITH sources AS (
           SELECT id, turf_id, voter_count FROM turf_assignment
            WHERE alliance_id = $1 AND campaign_id = $2 AND organization_id = $4 AND ended_at IS NULL),
         assigned AS (
           INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count)
           SELECT $1, $3, turf_id, $4, voter_count FROM sources RETURNING id, turf_id),
         voters AS (
           INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id)
           SELECT $3, tav.voter_id, tav.alliance_id, tav.organization_id, a.id
             FROM sources s JOIN assigned a ON a.turf_id = s.turf_id
             JOIN turf_assignment_voter tav ON tav.turf_assignment_id = s.id
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS voters FROM voters`,
        [allianceId, fromCampaignId, toCampaignId, organizationId],
      );
      return copied[0].voters;
    });
  }
}
