import type { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, type TestContext } from '@app/testing';
import type { VoterAttributes } from './voter-attributes';
import { VoterAttributesRepository } from './voter-attributes.repository';

/** Training reads respondents one way (one statement) and apply streams every voter another (place figures read once): they must agree. */
describe('voter attributes, streamed and looked up', () => {
  let context: TestContext;
  let owner: INestApplicationContext;
  let dataSource: DataSource;
  let allianceId: string;

  beforeAll(async () => {
    context = await createTestContext();
    owner = await createOwnerApplication(context);
    dataSource = owner.get<DataSource>(getDataSourceToken());
    allianceId = (await new IdentityFactory(dataSource).alliance()).id;
    await importSyntheticVoters(owner, context, { allianceId, rows: 4000, seed: 23 });
    // Precincts with several voters, some with no birth year, and a voter with no county or precinct.
    await dataSource.query(
      `UPDATE voter SET precinct = 'P' || (id % 7), birth_year = CASE WHEN id % 5 = 0 THEN NULL ELSE birth_year END WHERE alliance_id = $1`,
      [allianceId],
    );
    await dataSource.query(
      `UPDATE voter SET county = NULL, precinct = NULL WHERE alliance_id = $1 AND id = (SELECT min(id) FROM voter WHERE alliance_id = $1)`,
      [allianceId],
    );
  });

  afterAll(async () => {
    await owner?.close();
    await context?.dispose();
  });

  it('should give every voter exactly the same attributes either way', async () => {
    const repository = owner.get(VoterAttributesRepository);
    const asOf = new Date('2026-06-01T00:00:00Z');
    const streamed: VoterAttributes[] = [];
    for await (const batch of await repository.stream(allianceId, { kind: 'all' }, asOf)) streamed.push(...batch);
    const [{ active }] = await dataSource.query(`SELECT count(*)::int AS active FROM voter WHERE alliance_id = $1 AND active`, [allianceId]);
    expect(streamed).toHaveLength(active);
    const looked = await repository.findByIds(
      dataSource.manager,
      allianceId,
      streamed.map((voter) => voter.voterId),
      asOf,
    );
    expect(looked.size).toBe(streamed.length);
    const differing = streamed.filter((voter) => JSON.stringify(voter) !== JSON.stringify(looked.get(voter.voterId)));
    expect(differing.slice(0, 3).map((voter) => ({ streamed: voter, lookedUp: looked.get(voter.voterId) }))).toEqual([]);
    // The figures are real ones: precincts hold several voters, ages are shares of those with a birth year, and all three urbanicities occur.
    expect(Math.max(...streamed.map((voter) => voter.precinctVoters))).toBeGreaterThan(10);
    expect(new Set(streamed.map((voter) => voter.urbanicity))).toEqual(new Set(['urban', 'suburban', 'rural']));
    const noPlace = streamed.find((voter) => voter.county === null);
    expect(noPlace?.precinctVoters).toBe(1);
  });
});
