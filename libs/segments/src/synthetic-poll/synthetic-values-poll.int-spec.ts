import type { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, type TestContext } from '@app/testing';
import { bayesOptimalAccuracy, loadVoterTruth, pollCsv, samplePoll, type VoterTruth } from './synthetic-values-poll.generator';
import { type Urbanicity, VALUES_SEGMENT_KEYS, valuesTruthProbabilities, type ValuesTruthVoter } from './values-truth.model';

/** A voter as the test reads it straight from the table, to judge loadVoterTruth's SQL independently. */
interface StoredVoter {
  id: string;
  sourceVoterId: string;
  county: string | null;
  precinct: string | null;
  birthYear: number | null;
  party: string;
  genderCode: string | null;
  raceEthnicity: string;
  registrationYear: number | null;
  propensity: string;
  active: boolean;
}

const IMPORTED_ROWS = 5000;
const STILL_LISTED_ROWS = 4800;
// COPY's text format escapes tabs and backslashes, and the CSV must quote commas and quotes.
const AWKWARD_SOURCE_ID = 'odd\tid,with "quotes" and \\ backslash';
const NOTHING_KNOWN: ValuesTruthVoter = {
  birthYear: null,
  party: 'unknown',
  raceEthnicity: 'unknown',
  genderCode: null,
  propensity: 'new',
  registrationYear: null,
  urbanicity: null,
  precinctDemocraticShare: null,
  precinctShareOfColour: null,
};

describe('loadVoterTruth against PostgreSQL', () => {
  let context: TestContext;
  let app: INestApplicationContext;
  let client: Client;
  let main: string;
  let empty: string;
  let stored: StoredVoter[];
  let truth: VoterTruth;

  beforeAll(async () => {
    context = await createTestContext();
    app = await createOwnerApplication(context);
    const identity = new IdentityFactory(app.get(DataSource));
    main = (await identity.alliance()).id;
    const other = (await identity.alliance()).id;
    empty = (await identity.alliance()).id;
    await importSyntheticVoters(app, context, { allianceId: main, rows: IMPORTED_ROWS, seed: 31 });
    // A full refresh without the last voters leaves them inactive: they must not be loaded.
    await importSyntheticVoters(app, context, { allianceId: main, rows: STILL_LISTED_ROWS, seed: 31, fullRefresh: true });
    await importSyntheticVoters(app, context, { allianceId: other, rows: 700, seed: 32 });
    client = new Client({ connectionString: context.endpoints.databaseUrl });
    await client.connect();
    // Voters missing what the model reads: no county, a county without a precinct, unknown party and race.
    await client.query(
      `INSERT INTO voter (alliance_id, source_voter_id, source_line, county, precinct, birth_year, party, gender_code, race_ethnicity, registration_date, propensity)
       VALUES ($1, $2, 9001, NULL, NULL, NULL, 'unknown', NULL, 'unknown', NULL, 'new'),
              ($1, 'no-precinct', 9002, 'WAKE', NULL, 1980, 'democratic', 'x', 'black', '2019-05-01', 'frequent')`,
      [main, AWKWARD_SOURCE_ID],
    );
    const result = await client.query<StoredVoter>(
      `SELECT id::text AS id, source_voter_id AS "sourceVoterId", county, precinct, birth_year AS "birthYear", party, gender_code AS "genderCode",
              race_ethnicity AS "raceEthnicity", extract(year FROM registration_date)::integer AS "registrationYear", propensity, active
       FROM voter WHERE alliance_id = $1`,
      [main],
    );
    stored = result.rows;
    truth = await loadVoterTruth(client, main);
  }, 180_000);

  afterAll(async () => {
    await client?.end();
    await app?.close();
    await context?.dispose();
  });

  const activeVoters = () => stored.filter((voter) => voter.active).sort((left, right) => (BigInt(left.id) < BigInt(right.id) ? -1 : 1));
  const probabilitiesOf = (index: number) => Array.from(truth.probabilities.subarray(index * 4, index * 4 + 4));

  /** Active voters per county, most first (ties by name), as the test counts them. */
  function countyCounts(): Array<[string, number]> {
    const counts = new Map<string, number>();
    for (const voter of activeVoters()) if (voter.county !== null) counts.set(voter.county, (counts.get(voter.county) ?? 0) + 1);
    return [...counts.entries()].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1));
  }

  it('should load exactly the active voters of the alliance, in ascending id order', () => {
    const active = activeVoters();
    expect(stored.length - active.length).toBe(IMPORTED_ROWS - STILL_LISTED_ROWS);
    expect(truth.voterIds).toHaveLength(active.length);
    expect(Array.from(truth.voterIds, String)).toEqual(active.map((voter) => voter.id));
    expect(truth.sourceVoterIds).toEqual(active.map((voter) => voter.sourceVoterId));
    expect(truth.sourceVoterIds).toContain(AWKWARD_SOURCE_ID);
    expect(truth.segmentKeys).toEqual(VALUES_SEGMENT_KEYS);
    expect(truth.probabilities).toHaveLength(active.length * 4);
  });

  it('should split the counties into thirds of the active voters by size', () => {
    const ranked = countyCounts();
    const total = ranked.reduce((sum, [, count]) => sum + count, 0);
    const voters = (urbanicity: Urbanicity) => ranked.filter(([county]) => truth.countyUrbanicity.get(county) === urbanicity).map(([, count]) => count);
    const sum = (counts: number[]) => counts.reduce((left, right) => left + right, 0);
    expect(truth.countyUrbanicity.size).toBe(ranked.length);
    const [urban, suburban, rural] = [voters('urban'), voters('suburban'), voters('rural')];
    expect(urban.length + suburban.length + rural.length).toBe(ranked.length);
    // Larger counties are never less urban than smaller ones.
    expect(Math.min(...urban)).toBeGreaterThanOrEqual(Math.max(...suburban));
    expect(Math.min(...suburban)).toBeGreaterThanOrEqual(Math.max(...rural));
    // The urban counties reach the first third and would fall short of it without their smallest; likewise two thirds.
    expect(3 * sum(urban)).toBeGreaterThanOrEqual(total);
    expect(3 * (sum(urban) - Math.min(...urban))).toBeLessThan(total);
    expect(3 * (sum(urban) + sum(suburban))).toBeGreaterThanOrEqual(2 * total);
    expect(3 * (sum(urban) + sum(suburban) - Math.min(...suburban))).toBeLessThan(2 * total);
    expect(rural.length).toBeGreaterThan(0);
  });

  it('should give every voter the model’s probabilities for their attributes, county and precinct', () => {
    const urbanicity = new Map<string, Urbanicity>();
    const ranked = countyCounts();
    const total = ranked.reduce((sum, [, count]) => sum + count, 0);
    let before = 0;
    for (const [county, count] of ranked) {
      urbanicity.set(county, 3 * before < total ? 'urban' : 3 * before < 2 * total ? 'suburban' : 'rural');
      before += count;
    }
    const precincts = new Map<string, { voters: number; democratic: number; raceKnown: number; ofColour: number }>();
    for (const voter of activeVoters()) {
      if (voter.county === null || voter.precinct === null) continue;
      const key = JSON.stringify([voter.county, voter.precinct]);
      const precinct = precincts.get(key) ?? { voters: 0, democratic: 0, raceKnown: 0, ofColour: 0 };
      precinct.voters += 1;
      if (voter.party === 'democratic') precinct.democratic += 1;
      if (voter.raceEthnicity !== 'unknown') precinct.raceKnown += 1;
      if (voter.raceEthnicity !== 'unknown' && voter.raceEthnicity !== 'white') precinct.ofColour += 1;
      precincts.set(key, precinct);
    }
    const mismatches: string[] = [];
    activeVoters().forEach((voter, index) => {
      const precinct = precincts.get(JSON.stringify([voter.county, voter.precinct]));
      const expected = valuesTruthProbabilities({
        ...voter,
        urbanicity: voter.county === null ? null : (urbanicity.get(voter.county) ?? null),
        precinctDemocraticShare: precinct ? precinct.democratic / precinct.voters : null,
        precinctShareOfColour: precinct && precinct.raceKnown > 0 ? precinct.ofColour / precinct.raceKnown : null,
      });
      const actual = probabilitiesOf(index);
      if (actual.some((value, segment) => Math.abs(value - expected[segment]) > 1e-12))
        mismatches.push(`${voter.sourceVoterId}: ${actual} ≠ ${Array.from(expected)}`);
    });
    expect(mismatches).toEqual([]);
    // The voters missing county or precinct really reached the model without them.
    const awkward = activeVoters().findIndex((voter) => voter.sourceVoterId === AWKWARD_SOURCE_ID);
    expect(probabilitiesOf(awkward)).toEqual(Array.from(valuesTruthProbabilities(NOTHING_KNOWN)));
  });

  it('should land the segment shares and the Bayes-optimal accuracy in the intended ranges', () => {
    const shares = VALUES_SEGMENT_KEYS.map((_key, segment) => {
      let sum = 0;
      for (let index = 0; index < truth.voterIds.length; index += 1) sum += truth.probabilities[index * 4 + segment];
      return sum / truth.voterIds.length;
    });
    const [proTaxBase, aspiringPoc, balancedSuburbans, other] = shares;
    expect(proTaxBase).toBeGreaterThan(0.12);
    expect(proTaxBase).toBeLessThan(0.2);
    expect(aspiringPoc).toBeGreaterThan(0.18);
    expect(aspiringPoc).toBeLessThan(0.28);
    expect(balancedSuburbans).toBeGreaterThan(0.22);
    expect(balancedSuburbans).toBeLessThan(0.32);
    expect(other).toBeGreaterThan(0.27);
    expect(other).toBeLessThan(0.45);
    const everyone = Int32Array.from({ length: truth.voterIds.length }, (_value, index) => index);
    const bayes = bayesOptimalAccuracy(truth, everyone);
    expect(bayes).toBeGreaterThan(0.55);
    expect(bayes).toBeLessThan(0.75);
  });

  it('should load the same truth through a pool, and count ages to the reference year given', async () => {
    const pool = new Pool({ connectionString: context.endpoints.databaseUrl, max: 1 });
    try {
      const throughPool = await loadVoterTruth(pool, main);
      expect(Array.from(throughPool.voterIds)).toEqual(Array.from(truth.voterIds));
      expect(Array.from(throughPool.probabilities)).toEqual(Array.from(truth.probabilities));
      // the borrowed connection went back: the pool's only connection is free for the next query
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const later = await loadVoterTruth(pool, main, { referenceYear: 2040 });
      expect(later.referenceYear).toBe(2040);
      const awkward = truth.sourceVoterIds.indexOf(AWKWARD_SOURCE_ID);
      const aged = truth.sourceVoterIds.indexOf('no-precinct');
      const segmentsOf = (loaded: VoterTruth, index: number) => Array.from(loaded.probabilities.subarray(index * 4, index * 4 + 4));
      // fourteen more years change a voter born in 1980, and nothing for a voter with no birth or registration year
      expect(segmentsOf(later, aged)).not.toEqual(segmentsOf(truth, aged));
      expect(segmentsOf(later, awkward)).toEqual(segmentsOf(truth, awkward));
    } finally {
      await pool.end();
    }
  });

  it('should give no voters for an alliance without any, and refuse an id that is not a uuid', async () => {
    const none = await loadVoterTruth(client, empty);
    expect(none.voterIds).toHaveLength(0);
    expect(none.probabilities).toHaveLength(0);
    await expect(loadVoterTruth(client, `${main}' OR true --`)).rejects.toThrow(RangeError);
  });

  it('should write a poll whose CSV reads back to the sampled voters and segments', () => {
    const poll = samplePoll(truth, truth.voterIds.length, 17);
    const records = parse(pollCsv(poll.rows), { columns: true }) as Array<{ voter_id: string; segment: string }>;
    expect(records).toEqual(poll.rows.map((row) => ({ voter_id: row.sourceVoterId, segment: row.segment })));
    expect(new Set(records.map((record) => record.voter_id))).toEqual(new Set(activeVoters().map((voter) => voter.sourceVoterId)));
  });
});
