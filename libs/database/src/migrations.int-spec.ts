import type { Client } from 'pg';
import { type TestContext, createTestContext, withAdminClient } from '@app/testing';
import { DATABASE_MIGRATIONS } from './database-migrations';
import { MigrationRunner } from './migration-runner';
import { DropUnattachedVoterPartitionIndexes1795400000004 } from './migrations/1795400000004-drop-unattached-voter-partition-indexes.migration';
import { AddTurfVoterPlace1795400000008 } from './migrations/1795400000008-add-turf-voter-place.migration';

const TABLES = ['alliance', 'organization', 'app_user', 'membership', 'queue_probe'];

describe('migrations', () => {
  let context: TestContext;
  let emptyUrl: string;
  const emptyDatabase = `crossroads_empty_${process.pid}`;

  beforeAll(async () => {
    context = await createTestContext();
    await withAdminClient(context.config.database.url!.replace(/\/[^/]+$/, '/postgres'), async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${emptyDatabase}`);
      await client.query(`CREATE DATABASE ${emptyDatabase}`);
    });
    emptyUrl = context.config.database.url!.replace(/\/[^/]+$/, `/${emptyDatabase}`);
  });

  afterAll(async () => {
    await withAdminClient(context.config.database.url!.replace(/\/[^/]+$/, '/postgres'), (client) =>
      client.query(`DROP DATABASE IF EXISTS ${emptyDatabase} WITH (FORCE)`),
    );
    await context.dispose();
  });

  async function existingTables(): Promise<string[]> {
    return withAdminClient(emptyUrl, async (client) => {
      const result = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name`,
        [TABLES],
      );
      return result.rows.map((row) => row.table_name);
    });
  }

  it('should migrate up, all the way down, and up again', async () => {
    const runner = await MigrationRunner.connect(emptyUrl);
    try {
      const up = await runner.migrate();
      expect(up.applied).toHaveLength(DATABASE_MIGRATIONS.length);
      expect(await existingTables()).toEqual([...TABLES].sort());
      expect((await runner.migrate()).applied).toEqual([]);

      const reverted = await runner.revert(DATABASE_MIGRATIONS.length);
      expect(reverted).toHaveLength(DATABASE_MIGRATIONS.length);
      expect(await existingTables()).toEqual([]);
      expect((await runner.status()).pending).toHaveLength(DATABASE_MIGRATIONS.length);

      expect((await runner.migrate()).applied).toHaveLength(DATABASE_MIGRATIONS.length);
      expect(await existingTables()).toEqual([...TABLES].sort());
    } finally {
      await runner.close();
    }
  });

  it('should let two runners migrate at once without applying anything twice (advisory lock)', async () => {
    const [first, second] = await Promise.all([MigrationRunner.connect(emptyUrl), MigrationRunner.connect(emptyUrl)]);
    try {
      await first.revert(DATABASE_MIGRATIONS.length);
      const [a, b] = await Promise.all([first.migrate(), second.migrate()]);
      expect(a.applied.length + b.applied.length).toBe(DATABASE_MIGRATIONS.length);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('should enforce organization and membership rules in the schema', async () => {
    await withAdminClient(context.config.database.url!, async (client) => {
      const alliance = (await client.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ('a1', 'A') RETURNING id`)).rows[0].id;
      await expect(client.query(`INSERT INTO organization (alliance_id, kind, slug, name) VALUES ($1, 'member', 'm', 'M')`, [alliance])).rejects.toThrow(
        /organization_kind_parent_check/,
      );
      await expect(client.query(`INSERT INTO app_user (email, display_name) VALUES ('Mixed@Case.test', 'X')`)).rejects.toThrow(/check/);
      const user = (await client.query<{ id: string }>(`INSERT INTO app_user (email, display_name) VALUES ('v@x.test', 'V') RETURNING id`)).rows[0].id;
      await expect(client.query(`INSERT INTO membership (user_id, alliance_id, role) VALUES ($1, $2, 'volunteer')`, [user, alliance])).rejects.toThrow(
        /membership_scope_check/,
      );
      await client.query(`INSERT INTO membership (user_id, alliance_id, role) VALUES ($1, $2, 'alliance_admin')`, [user, alliance]);
      await expect(client.query(`INSERT INTO membership (user_id, alliance_id, role) VALUES ($1, $2, 'alliance_admin')`, [user, alliance])).rejects.toThrow(
        /membership_unique/,
      );
    });
  });

  it('should refuse automatic dials to mobile numbers without consent and predictive campaigns without an identification message', async () => {
    await withAdminClient(context.config.database.url!, async (client) => {
      const alliance = (await client.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ('d1', 'D') RETURNING id`)).rows[0].id;
      const organization = (
        await client.query<{ id: string }>(`INSERT INTO organization (alliance_id, kind, slug, name) VALUES ($1, 'anchor', 'o', 'O') RETURNING id`, [alliance])
      ).rows[0].id;
      await expect(client.query(`INSERT INTO campaign (alliance_id, slug, name, dial_mode) VALUES ($1, 'p', 'P', 'predictive')`, [alliance])).rejects.toThrow(
        /campaign_predictive_identification_check/,
      );
      const campaign = (
        await client.query<{ id: string }>(
          `INSERT INTO campaign (alliance_id, slug, name, dial_mode, identification_message) VALUES ($1, 'p', 'P', 'predictive', 'This was D, call us back at 555-0100') RETURNING id`,
          [alliance],
        )
      ).rows[0].id;
      const contact = async (phone: string, lineType: string, consent: boolean) =>
        (
          await client.query<{ id: string }>(
            `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, dial_consent, voter_id, household_voter_ids)
             VALUES ($1, $2, $3, $4, $5, $6, 1, ARRAY[1::bigint]) RETURNING id`,
            [alliance, campaign, organization, phone, lineType, consent],
          )
        ).rows[0].id;
      const dial = (contactId: string, phone: string, lineType: string, consent: boolean, kind: string) =>
        client.query(
          `INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, lease_id, to_phone, from_phone, provider, line_type, dial_consent, dial_kind)
           VALUES ($1, $2, $3, $4, gen_random_uuid(), $5, '+14155550123', 'carrier-sim', $6, $7, $8)`,
          [alliance, campaign, organization, contactId, phone, lineType, consent, kind],
        );
      const mobile = await contact('+14155550101', 'mobile', false);
      await expect(dial(mobile, '+14155550101', 'mobile', false, 'automatic')).rejects.toThrow(/call_automatic_line_check/);
      await expect(dial(mobile, '+14155550101', 'unknown', false, 'automatic')).rejects.toThrow(/call_automatic_line_check/);
      // The same number on a volunteer's own action, a consented mobile automatically, a landline automatically: all allowed.
      await dial(mobile, '+14155550101', 'mobile', false, 'volunteer-initiated');
      await dial(await contact('+14155550102', 'mobile', true), '+14155550102', 'mobile', true, 'automatic');
      await dial(await contact('+14155550103', 'landline', false), '+14155550103', 'landline', false, 'automatic');
    });
  });

  it('should drop the unused unique-index copies on voter partitions attached before 1795400000004, and nothing else', async () => {
    const runner = await MigrationRunner.connect(emptyUrl);
    try {
      await runner.revert(DATABASE_MIGRATIONS.length);
      await runner.migrate();
      // Back to just before 1795400000004, whatever came after it.
      await runner.revert(DATABASE_MIGRATIONS.length - DATABASE_MIGRATIONS.indexOf(DropUnattachedVoterPartitionIndexes1795400000004));
      const countIndexes = (client: Client, table: string): Promise<number> =>
        client
          .query<{ count: number }>(`SELECT count(*)::int AS count FROM pg_index WHERE indrelid = $1::regclass`, [table])
          .then((result) => result.rows[0].count);
      const [parentIndexes, before] = await withAdminClient(emptyUrl, async (client) => {
        const alliance = (await client.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ('old', 'Old') RETURNING id`)).rows[0].id;
        // A partition as the first import used to leave it: bare unique indexes, which ATTACH passed over.
        await client.query(`CREATE TABLE voter_p_old (LIKE voter INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`);
        await client.query(`CREATE UNIQUE INDEX voter_p_old_0 ON voter_p_old (alliance_id, id)`);
        await client.query(`CREATE UNIQUE INDEX voter_p_old_1 ON voter_p_old (alliance_id, source_voter_id)`);
        await client.query(`ALTER TABLE voter ATTACH PARTITION voter_p_old FOR VALUES IN ('${alliance}')`);
        return [await countIndexes(client, 'voter'), await countIndexes(client, 'voter_p_old')];
      });
      expect(before).toBe(parentIndexes + 2);

      expect((await runner.migrate()).applied[0]).toBe('DropUnattachedVoterPartitionIndexes1795400000004');

      const after = await withAdminClient(emptyUrl, async (client) =>
        (
          await client.query<{ name: string }>(
            `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'voter_p_old'::regclass ORDER BY 1`,
          )
        ).rows.map((row) => row.name),
      );
      expect(after).toHaveLength(parentIndexes);
      expect(after).not.toContain('voter_p_old_0');
      expect(after).not.toContain('voter_p_old_1');
    } finally {
      await runner.close();
    }
  });

  it('should give turf voters materialized before 1795400000008 their county and precinct', async () => {
    const runner = await MigrationRunner.connect(emptyUrl);
    try {
      await runner.revert(DATABASE_MIGRATIONS.length);
      await runner.migrate();
      await runner.revert(DATABASE_MIGRATIONS.length - DATABASE_MIGRATIONS.indexOf(AddTurfVoterPlace1795400000008));
      await withAdminClient(emptyUrl, async (client) => {
        const alliance = (await client.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ('placed', 'Placed') RETURNING id`)).rows[0].id;
        await client.query(`CREATE TABLE voter_p_placed (LIKE voter INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`);
        await client.query(`ALTER TABLE voter ATTACH PARTITION voter_p_placed FOR VALUES IN ('${alliance}')`);
        await client.query(
          `INSERT INTO voter (id, alliance_id, source_voter_id, source_line, county, precinct, party, race_ethnicity, propensity)
           VALUES (1, $1, 'A1', 1, 'WAKE', '01-07', 'unknown', 'unknown', 'new'), (2, $1, 'A2', 2, NULL, NULL, 'unknown', 'unknown', 'new')`,
          [alliance],
        );
        const turf = (await client.query<{ id: string }>(`INSERT INTO turf (alliance_id, name, filter) VALUES ($1, 'Old turf', '{}') RETURNING id`, [alliance]))
          .rows[0].id;
        await client.query(`INSERT INTO turf_voter (turf_id, voter_id, alliance_id) VALUES ($1, 1, $2), ($1, 2, $2)`, [turf, alliance]);
      });

      expect((await runner.migrate()).applied[0]).toBe('AddTurfVoterPlace1795400000008');

      const places = await withAdminClient(
        emptyUrl,
        async (client) => (await client.query(`SELECT voter_id::int, county, precinct FROM turf_voter ORDER BY voter_id`)).rows,
      );
      expect(places).toEqual([
        { voter_id: 1, county: 'WAKE', precinct: '01-07' },
        { voter_id: 2, county: null, precinct: null },
      ]);
    } finally {
      await runner.close();
    }
  });
});
