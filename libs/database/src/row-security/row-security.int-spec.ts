import type { INestApplicationContext } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, type TestContext } from '@app/testing';
import { buildDataSourceOptions } from '../data-source-options.factory';
import { DatabaseRole } from './database-role.enum';
import type { RowAccessScope } from './row-access-scope';
import { RowScopeRunner } from './row-scope.runner';

/**
 * The database's own wall, tested as the api meets it: connected as crossroads_api, with the
 * owner (the import worker's connection) setting up what the api could never write.
 */
describe('row-level security on voter data', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let ownerSql: DataSource;
  let api: DataSource;
  let allianceA: string;
  let allianceB: string;
  let countyA: string;
  let memberA: string;
  let otherMemberA: string;
  let anchorA: string;
  let campaignA: string;
  let turfedVoterIds: string[];

  beforeAll(async () => {
    context = await createTestContext();
    owner = await createOwnerApplication(context);
    ownerSql = owner.get(DataSource);
    const identity = new IdentityFactory(ownerSql);
    allianceA = (await identity.alliance()).id;
    allianceB = (await identity.alliance()).id;
    await importSyntheticVoters(owner, context, { allianceId: allianceA, rows: 1_500, seed: 31 });
    await importSyntheticVoters(owner, context, { allianceId: allianceB, rows: 400, seed: 32 });
    [{ county: countyA }] = await ownerSql.query(`SELECT county FROM voter WHERE alliance_id = $1 GROUP BY county ORDER BY count(*) DESC, county LIMIT 1`, [
      allianceA,
    ]);
    anchorA = (await identity.anchor(allianceA, { regionCounties: [countyA] })).id;
    memberA = (await identity.member(allianceA, anchorA)).id;
    otherMemberA = (await identity.member(allianceA, anchorA)).id;
    [{ id: campaignA }] = await ownerSql.query(`INSERT INTO campaign (alliance_id, slug, name) VALUES ($1, 'fall', 'Fall') RETURNING id`, [allianceA]);
    // Forty voters from outside the anchor's region, turfed to memberA.
    const [{ id: turf }] = await ownerSql.query(
      `INSERT INTO turf (alliance_id, organization_id, name, filter, status, voter_count, materialized_at) VALUES ($1, $2, 'T', '{}', 'materialized', 40, now()) RETURNING id`,
      [allianceA, anchorA],
    );
    const picked: Array<{ id: string }> = await ownerSql.query(
      `SELECT id::text FROM voter WHERE alliance_id = $1 AND county IS DISTINCT FROM $2 ORDER BY id LIMIT 40`,
      [allianceA, countyA],
    );
    turfedVoterIds = picked.map((row) => row.id);
    await ownerSql.query(`INSERT INTO turf_voter (turf_id, voter_id, alliance_id) SELECT $1, unnest($2::bigint[]), $3`, [turf, turfedVoterIds, allianceA]);
    const [{ id: assignment }] = await ownerSql.query(
      `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count) VALUES ($1, $2, $3, $4, 40) RETURNING id`,
      [allianceA, campaignA, turf, memberA],
    );
    await ownerSql.query(
      `INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id) SELECT $1, unnest($2::bigint[]), $3, $4, $5`,
      [campaignA, turfedVoterIds, allianceA, memberA, assignment],
    );
    // One connection, so a test can see what a pooled connection carries from one use to the next.
    api = await new DataSource(buildDataSourceOptions(context.endpoints.databaseUrl, 1, 'row-security-test', DatabaseRole.Api)).initialize();
  }, 120_000);

  afterAll(async () => {
    await api?.destroy();
    await owner?.close();
    await context?.dispose();
  });

  const asApi = <T>(scope: RowAccessScope, work: (sql: DataSource['manager']) => Promise<T>): Promise<T> => new RowScopeRunner(api).run(scope, work);
  const count = async (sql: { query: DataSource['query'] }, from: string, parameters: unknown[] = []): Promise<number> =>
    Number((await sql.query(`SELECT count(*)::int AS n FROM ${from}`, parameters))[0].n);
  const ownerCount = (allianceId: string) => count(ownerSql, `voter WHERE alliance_id = $1`, [allianceId]);

  it('should connect the api as a role that is no superuser, owns nothing and cannot bypass row security, even after RESET ROLE', async () => {
    await api.query('RESET ROLE');
    const [role] = await api.query(
      `SELECT current_user AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(role).toEqual({ name: DatabaseRole.Api, superuser: false, bypass: false, owned: 0 });
    const [forced] = await ownerSql.query(`SELECT relrowsecurity FROM pg_class WHERE relname = 'voter'`);
    expect(forced.relrowsecurity).toBe(true);
  });

  it('should show no voter data at all to a connection that declared no scope', async () => {
    expect(await ownerCount(allianceA)).toBe(1_500);
    for (const table of ['voter', 'vote_history', 'voter_import_error', 'turf_voter', 'turf_assignment_voter']) {
      expect({ table, rows: await count(api, table) }).toEqual({ table, rows: 0 });
    }
  });

  it('should refuse the api any write to voters and any read of a partition past the parent', async () => {
    const [{ partition }] = await ownerSql.query(
      `SELECT c.relname AS partition FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'voter'::regclass LIMIT 1`,
    );
    await expect(api.query(`SELECT count(*) FROM ${partition}`)).rejects.toThrow(/permission denied/);
    await expect(api.query(`UPDATE voter SET first_name = 'X'`)).rejects.toThrow(/permission denied/);
    await expect(api.query(`DELETE FROM voter`)).rejects.toThrow(/permission denied/);
    await expect(api.query(`ALTER TABLE voter DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(/must be owner/);
  });

  it("should show an alliance-wide reader all of its alliance's voters and none of another's, whatever the query asks", async () => {
    const scope: RowAccessScope = { kind: 'alliance', allianceId: allianceA };
    expect(await asApi(scope, (sql) => count(sql, 'voter'))).toBe(1_500);
    expect(await asApi(scope, (sql) => count(sql, 'voter WHERE alliance_id = $1', [allianceB]))).toBe(0);
    expect(await asApi(scope, (sql) => count(sql, 'vote_history WHERE alliance_id = $1', [allianceB]))).toBe(0);
    expect(await asApi(scope, (sql) => count(sql, 'vote_history'))).toBe(await count(ownerSql, 'vote_history WHERE alliance_id = $1', [allianceA]));
  });

  it("should show a member organization only the voters turfed to it, and its anchor its region plus its members' turf", async () => {
    const member: RowAccessScope = { kind: 'organizations', allianceId: allianceA, organizationIds: [memberA], regionCounties: [] };
    const seen: Array<{ id: string }> = await asApi(member, (sql) => sql.query(`SELECT id::text FROM voter ORDER BY id`));
    expect(seen.map((row) => row.id)).toEqual(turfedVoterIds);
    expect(await asApi(member, (sql) => count(sql, 'voter_import_error'))).toBe(0);

    const sibling: RowAccessScope = { kind: 'organizations', allianceId: allianceA, organizationIds: [otherMemberA], regionCounties: [] };
    expect(await asApi(sibling, (sql) => count(sql, 'voter'))).toBe(0);
    expect(await asApi(sibling, (sql) => count(sql, 'turf_assignment_voter'))).toBe(0);

    const anchor: RowAccessScope = {
      kind: 'organizations',
      allianceId: allianceA,
      organizationIds: [anchorA, memberA, otherMemberA],
      regionCounties: [countyA],
    };
    const inRegion = await count(ownerSql, 'voter WHERE alliance_id = $1 AND county = $2', [allianceA, countyA]);
    expect(await asApi(anchor, (sql) => count(sql, 'voter'))).toBe(inRegion + turfedVoterIds.length);
    // Organizations of alliance A hold no turf in alliance B.
    expect(await asApi({ ...anchor, allianceId: allianceB, regionCounties: [] }, (sql) => count(sql, 'voter'))).toBe(0);
  });

  it('should end the scope with its transaction, so a pooled connection carries nothing to its next use', async () => {
    expect(await asApi({ kind: 'alliance', allianceId: allianceA }, (sql) => count(sql, 'voter'))).toBe(1_500);
    expect(await count(api, 'voter')).toBe(0);
    const [{ role }] = await api.query(`SELECT current_user AS role`);
    expect(role).toBe(DatabaseRole.Api);
  });

  it('should let a transaction skip waiting for the disk at commit, for that transaction only', async () => {
    const scope: RowAccessScope = { kind: 'alliance', allianceId: allianceA };
    const setting = (sql: { query: DataSource['query'] }) => sql.query(`SELECT current_setting('synchronous_commit') AS value`);
    // The test cluster runs without synchronous commit: the one pooled connection asks for it, as a production server has it.
    await api.query(`SET synchronous_commit = on`);
    try {
      expect(await new RowScopeRunner(api).run(scope, setting, { waitForDisk: false })).toEqual([{ value: 'off' }]);
      expect(await setting(api)).toEqual([{ value: 'on' }]);
      expect(await asApi(scope, setting)).toEqual([{ value: 'on' }]);
    } finally {
      await api.query(`RESET synchronous_commit`);
    }
  });

  it('should stop an organization from taking a voter another organization holds in the same campaign, without showing whose it is', async () => {
    const sibling: RowAccessScope = { kind: 'organizations', allianceId: allianceA, organizationIds: [otherMemberA], regionCounties: [] };
    const [{ id: assignment }] = await ownerSql.query(
      `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count)
       SELECT alliance_id, campaign_id, turf_id, $1, 0 FROM turf_assignment WHERE campaign_id = $2 LIMIT 1 RETURNING id`,
      [otherMemberA, campaignA],
    );
    const attempt = asApi(sibling, (sql) =>
      sql.query(`INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id) VALUES ($1, $2, $3, $4, $5)`, [
        campaignA,
        turfedVoterIds[0],
        allianceA,
        otherMemberA,
        assignment,
      ]),
    );
    await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
    await expect(attempt).rejects.toMatchObject({ driverError: { code: '23505' } });
    // Writing rows for an organization outside the scope is refused by the policy's check.
    const foreign = asApi(sibling, (sql) =>
      sql.query(`INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id) VALUES ($1, $2, $3, $4, $5)`, [
        campaignA,
        turfedVoterIds[turfedVoterIds.length - 1] + '0',
        allianceA,
        memberA,
        assignment,
      ]),
    );
    await expect(foreign).rejects.toThrow(/row-level security/);
  });
  it("should show a calling session the household it holds on its organization's call list, and that only while it holds it", async () => {
    // A household outside memberA's turf and the anchor's region: only a lease can show it.
    const household: Array<{ id: string }> = await ownerSql.query(
      `SELECT id::text FROM voter WHERE alliance_id = $1 AND county IS DISTINCT FROM $2 AND NOT (id = ANY ($3::bigint[])) ORDER BY id DESC LIMIT 2`,
      [allianceA, countyA, turfedVoterIds],
    );
    const householdIds = household.map((row) => row.id);
    const session = '4b0c7a54-3f1e-4d7c-9a55-0d6f0c1e2a11';
    await ownerSql.query(
      `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, lease_id, leased_session_id, leased_until)
       VALUES ($1, $2, $3, '+19195550142', $4, $5::bigint[], gen_random_uuid(), $6, now() + interval '15 minutes')`,
      [allianceA, campaignA, memberA, householdIds[0], householdIds, session],
    );
    try {
      const member: RowAccessScope = { kind: 'organizations', allianceId: allianceA, organizationIds: [memberA], regionCounties: [] };
      const visible = (scope: RowAccessScope) => asApi(scope, (sql) => count(sql, 'voter WHERE id = ANY ($1::bigint[])', [householdIds]));
      expect(await visible({ ...member, callingSessionId: session })).toBe(2);
      expect(await asApi({ ...member, callingSessionId: session }, (sql) => count(sql, 'voter'))).toBe(turfedVoterIds.length + 2);
      // Not without the session, not for another session, not for an organization whose call list it is not.
      expect(await visible(member)).toBe(0);
      expect(await visible({ ...member, callingSessionId: '9d1f5a0e-8c2b-4f3a-b6d7-1e2f3a4b5c6d' })).toBe(0);
      expect(await visible({ ...member, organizationIds: [otherMemberA], callingSessionId: session })).toBe(0);
      // The lease let go, the household is out of reach again.
      await ownerSql.query(`UPDATE campaign_contact SET lease_id = NULL, leased_session_id = NULL, leased_until = NULL WHERE leased_session_id = $1`, [
        session,
      ]);
      expect(await visible({ ...member, callingSessionId: session })).toBe(0);
    } finally {
      await ownerSql.query(`DELETE FROM campaign_contact WHERE campaign_id = $1 AND phone = '+19195550142'`, [campaignA]);
    }
  });
});
