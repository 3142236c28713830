import { Injectable } from '@nestjs/common';
import { RowScopeRunner } from '@app/database';
import type { RowAccessScope } from '@app/database';

export interface CallListCounts {
  readonly added: number;
  readonly total: number;
  readonly open: number;
}

/**
 * The campaign's call list: one row per phone among the voters turfed for it, so a household that
 * shares a phone is called once (its lowest voter id is the one the card shows).
 */
@Injectable()
export class CallListRepository {
  constructor(private readonly rowScope: RowScopeRunner) {}

  /** The ZIP codes of the voters a refresh would add, to look their time zones up. */
  zipCodesToAdd(scope: RowAccessScope, campaignId: string): Promise<string[]> {
    return this.rowScope.run(scope, async (manager) => {
      const rows: { zip5: string }[] = await manager.query(
        `SELECT DISTINCT v.zip5 FROM turf_assignment_voter tav
           JOIN voter v ON v.alliance_id = tav.alliance_id AND v.id = tav.voter_id
          WHERE tav.campaign_id = $1 AND v.active AND v.has_phone AND v.zip5 IS NOT NULL`,
        [campaignId],
      );
      return rows.map((row) => row.zip5);
    });
  }

  /**
   * Adds the phones of voters turfed since the last refresh; rows already listed keep their
   * attempts and state. Voters with several phones are listed under their first.
   */
  add(scope: RowAccessScope, campaignId: string, zoneByZip: ReadonlyMap<string, string>): Promise<CallListCounts> {
    return this.rowScope.run(scope, async (manager) => {
      const inserted: { count: string }[] = await manager.query(
        `WITH zones AS (SELECT * FROM unnest($2::text[], $3::text[]) AS z (zip5, time_zone)),
         members AS (
           SELECT tav.alliance_id, tav.organization_id, v.id AS voter_id, v.phones -> 0 ->> 'e164' AS phone,
                  v.phones -> 0 ->> 'lineType' AS line_type, v.zip5
             FROM turf_assignment_voter tav
             JOIN voter v ON v.alliance_id = tav.alliance_id AND v.id = tav.voter_id
            WHERE tav.campaign_id = $1 AND v.active AND v.has_phone),
         added AS (
           INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, voter_id, household_voter_ids, time_zone)
           SELECT min(m.alliance_id::text)::uuid, $1, (array_agg(m.organization_id ORDER BY m.voter_id))[1], m.phone,
                  (array_agg(m.line_type ORDER BY m.voter_id))[1], min(m.voter_id), array_agg(m.voter_id ORDER BY m.voter_id),
                  (SELECT z.time_zone FROM zones z WHERE z.zip5 = (array_agg(m.zip5 ORDER BY m.voter_id))[1])
             FROM members m
            WHERE m.phone IS NOT NULL
            GROUP BY m.phone
           ON CONFLICT (campaign_id, phone) DO NOTHING
           RETURNING 1)
         SELECT count(*) AS count FROM added`,
        [campaignId, [...zoneByZip.keys()], [...zoneByZip.values()]],
      );
      const totals: { total: string; open: string }[] = await manager.query(
        `SELECT count(*) AS total, count(*) FILTER (WHERE status = 'open') AS open FROM campaign_contact WHERE campaign_id = $1`,
        [campaignId],
      );
      return { added: Number(inserted[0].count), total: Number(totals[0].total), open: Number(totals[0].open) };
    });
  }

  counts(scope: RowAccessScope, campaignId: string): Promise<{ total: number; open: number; done: number }> {
    return this.rowScope.run(scope, async (manager) => {
      const rows: { total: string; open: string }[] = await manager.query(
        `SELECT count(*) AS total, count(*) FILTER (WHERE status = 'open') AS open FROM campaign_contact WHERE campaign_id = $1`,
        [campaignId],
      );
      const total = Number(rows[0].total);
      const open = Number(rows[0].open);
      return { total, open, done: total - open };
    });
  }
}
