import { text } from 'node:stream/consumers';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { DomainErrorCode } from '@app/common';
import { allianceWideAccess } from '@app/database';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { createTestContext, IdentityFactory, importSyntheticVoters, type TestContext } from '@app/testing';
import { StandardParty } from '../normalization/party.normalizer';
import { Propensity } from '../normalization/propensity.rule';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { VoterFileModule } from '../voter-file.module';
import { VOTER_EXPORT_COLUMNS, VoterExportService } from './voter-export.service';
import { birthYearBounds, type VoterFilter, type VoterFilterCriteria } from './voter-filter';
import { EXPORT_BATCH_SIZE } from './voter-search.repository';
import { MAX_VOTER_PAGE_SIZE, VoterSearchService } from './voter-search.service';

/** A voter as the test reads it straight from the table, to judge the search independently of its SQL. */
interface StoredVoter {
  id: string;
  allianceId: string;
  county: string | null;
  precinct: string | null;
  zip5: string | null;
  city: string | null;
  party: string;
  birthYear: number | null;
  propensity: string;
  raceEthnicity: string;
  hasPhone: boolean;
  active: boolean;
}

// More than two export batches, so the export's keyset paging is exercised.
const MAIN_ROWS = 12_000;
const STILL_LISTED_ROWS = 11_400;
const OTHER_ROWS = 800;

describe('VoterSearchService and VoterExportService', () => {
  let context: TestContext;
  let app: INestApplicationContext;
  let main: string;
  let other: string;
  let stored: StoredVoter[];

  beforeAll(async () => {
    context = await createTestContext();
    app = await NestFactory.createApplicationContext(
      {
        module: class VoterSearchTestModule {},
        imports: [
          CoreModule.forRoot({ config: context.config, endpoints: context.endpoints, serviceName: 'test', logDestination: new RecordingLogDestination() }),
          VoterFileModule,
        ],
      },
      { logger: false },
    );
    const identity = new IdentityFactory(app.get(DataSource));
    main = (await identity.alliance()).id;
    other = (await identity.alliance()).id;
    await importVoters(main, MAIN_ROWS, 11, false);
    // A full refresh without the last voters leaves them inactive, as a real refresh does for voters who moved away.
    await importVoters(main, STILL_LISTED_ROWS, 11, true);
    await importVoters(other, OTHER_ROWS, 12, false);
    stored = await app.get(DataSource).query(
      `SELECT id::text AS id, alliance_id AS "allianceId", county, precinct, zip5, city, party, birth_year AS "birthYear",
              propensity, race_ethnicity AS "raceEthnicity", has_phone AS "hasPhone", active
       FROM voter`,
    );
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  const importVoters = (allianceId: string, rows: number, seed: number, fullRefresh: boolean) =>
    importSyntheticVoters(app, context, { allianceId, rows, seed, fullRefresh });

  /** The filter's meaning, written plainly in TypeScript. */
  function expectedIds(filter: VoterFilter): string[] {
    const { latest, earliest } = birthYearBounds(filter, new Date().getUTCFullYear());
    const within = (values: readonly string[] | undefined, value: string | null) => values === undefined || (value !== null && values.includes(value));
    return stored
      .filter(
        (voter) =>
          voter.allianceId === filter.allianceId &&
          voter.active === filter.active &&
          within(filter.counties, voter.county) &&
          within(filter.precincts, voter.precinct) &&
          within(filter.zips, voter.zip5) &&
          within(filter.cities, voter.city) &&
          within(filter.parties, voter.party) &&
          within(filter.propensities, voter.propensity) &&
          within(filter.raceEthnicities, voter.raceEthnicity) &&
          (latest === undefined || (voter.birthYear !== null && voter.birthYear <= latest)) &&
          (earliest === undefined || (voter.birthYear !== null && voter.birthYear >= earliest)) &&
          (filter.hasPhone === undefined || voter.hasPhone === filter.hasPhone),
      )
      .map((voter) => voter.id)
      .sort(byId);
  }

  /** Every page of a search, checking on the way that each page reports the same total. */
  async function allPages(filter: VoterFilter, limit: number): Promise<{ ids: string[]; totals: Set<number>; pages: number }> {
    const search = app.get(VoterSearchService);
    const ids: string[] = [];
    const totals = new Set<number>();
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await search.search(filter, allianceWideAccess(filter.allianceId), { after, limit });
      pages += 1;
      expect(page.voters.length).toBeLessThanOrEqual(limit);
      ids.push(...page.voters.map((voter) => voter.id));
      totals.add(page.total);
      after = page.nextCursor ?? undefined;
    } while (after !== undefined);
    return { ids, totals, pages };
  }

  const mostCommon = (values: Array<string | null>, count: number): string[] => {
    const tally = new Map<string, number>();
    for (const value of values) if (value !== null) tally.set(value, (tally.get(value) ?? 0) + 1);
    return [...tally.entries()]
      .sort((left, right) => right[1] - left[1])
      .slice(0, count)
      .map(([value]) => value);
  };
  const mainVoters = () => stored.filter((voter) => voter.allianceId === main);

  it('should have imported both alliances, with some of the main one inactive', () => {
    expect(mainVoters()).toHaveLength(MAIN_ROWS);
    expect(mainVoters().filter((voter) => !voter.active)).toHaveLength(MAIN_ROWS - STILL_LISTED_ROWS);
    expect(stored.filter((voter) => voter.allianceId === other)).toHaveLength(OTHER_ROWS);
  });

  describe('each filter', () => {
    const cases: Array<[string, () => VoterFilterCriteria]> = [
      ['no criteria (active voters)', () => ({ active: true })],
      ['inactive voters', () => ({ active: false })],
      [
        'one county',
        () => ({
          active: true,
          counties: mostCommon(
            mainVoters().map((voter) => voter.county),
            1,
          ),
        }),
      ],
      [
        'two counties',
        () => ({
          active: true,
          counties: mostCommon(
            mainVoters().map((voter) => voter.county),
            2,
          ),
        }),
      ],
      [
        'a county and its precincts',
        () => {
          const [county] = mostCommon(
            mainVoters().map((voter) => voter.county),
            1,
          );
          const precincts = mostCommon(
            mainVoters()
              .filter((voter) => voter.county === county)
              .map((voter) => voter.precinct),
            3,
          );
          return { active: true, counties: [county], precincts };
        },
      ],
      [
        'precincts in any county',
        () => ({
          active: true,
          precincts: mostCommon(
            mainVoters().map((voter) => voter.precinct),
            2,
          ),
        }),
      ],
      [
        'ZIP codes',
        () => ({
          active: true,
          zips: mostCommon(
            mainVoters().map((voter) => voter.zip5),
            3,
          ),
        }),
      ],
      [
        'a city',
        () => ({
          active: true,
          cities: mostCommon(
            mainVoters().map((voter) => voter.city),
            1,
          ),
        }),
      ],
      ['one party', () => ({ active: true, parties: [StandardParty.Democratic] })],
      ['small parties', () => ({ active: true, parties: [StandardParty.Libertarian, StandardParty.Green, StandardParty.Other] })],
      ['an age range', () => ({ active: true, ageMin: 18, ageMax: 29 })],
      ['a minimum age', () => ({ active: true, ageMin: 65 })],
      ['a maximum age', () => ({ active: true, ageMax: 40 })],
      ['new voters', () => ({ active: true, propensities: [Propensity.New] })],
      ['occasional and frequent voters', () => ({ active: true, propensities: [Propensity.Occasional, Propensity.Frequent] })],
      ['Hispanic voters', () => ({ active: true, raceEthnicities: [StandardRaceEthnicity.Hispanic] })],
      ['Black and Asian voters', () => ({ active: true, raceEthnicities: [StandardRaceEthnicity.Black, StandardRaceEthnicity.Asian] })],
      ['voters with a phone', () => ({ active: true, hasPhone: true })],
      ['voters without a phone', () => ({ active: true, hasPhone: false })],
      [
        'everything at once',
        () => ({
          active: true,
          counties: mostCommon(
            mainVoters().map((voter) => voter.county),
            3,
          ),
          parties: [StandardParty.Democratic, StandardParty.Unaffiliated],
          ageMin: 25,
          ageMax: 70,
          raceEthnicities: [StandardRaceEthnicity.White, StandardRaceEthnicity.Black],
          hasPhone: true,
        }),
      ],
      ['a county with no voters', () => ({ active: true, counties: ['NOWHERE'] })],
    ];

    it.each(cases)('should return exactly the voters matching %s, each once, with the right total', async (name, criteria) => {
      const filter: VoterFilter = { allianceId: main, ...criteria() };
      const expected = expectedIds(filter);
      const { ids, totals } = await allPages(filter, MAX_VOTER_PAGE_SIZE);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
      expect([...totals]).toEqual([expected.length]);
      if (name !== 'a county with no voters') expect(expected.length).toBeGreaterThan(0);
    });
  });

  it('should cover every match exactly once with small pages, in id order, ending with a null cursor', async () => {
    const filter: VoterFilter = {
      allianceId: main,
      active: true,
      counties: mostCommon(
        mainVoters().map((voter) => voter.county),
        1,
      ),
    };
    const expected = expectedIds(filter);
    const { ids, pages } = await allPages(filter, 7);
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 7)));
  });

  it("should never show another alliance's voters", async () => {
    const otherIds = new Set(stored.filter((voter) => voter.allianceId === other).map((voter) => voter.id));
    const fromMain = await allPages({ allianceId: main, active: true }, MAX_VOTER_PAGE_SIZE);
    expect(fromMain.ids.some((id) => otherIds.has(id))).toBe(false);
    const fromOther = await allPages({ allianceId: other, active: true }, MAX_VOTER_PAGE_SIZE);
    expect(fromOther.ids).toEqual([...otherIds].sort(byId));
  });

  it('should describe each voter as stored, with the age from the birth year and the phones', async () => {
    const [voter] = (await app.get(VoterSearchService).search({ allianceId: main, active: true, hasPhone: true }, allianceWideAccess(main), { limit: 1 }))
      .voters;
    const [row] = await app
      .get(DataSource)
      .query(
        `SELECT source_voter_id, first_name, last_name, residential_address, county, zip5, birth_year, party, party_code, race_ethnicity, propensity, phones FROM voter WHERE id = $1`,
        [voter.id],
      );
    expect(voter).toMatchObject({
      sourceVoterId: row.source_voter_id,
      firstName: row.first_name,
      lastName: row.last_name,
      residentialAddress: row.residential_address,
      county: row.county,
      zip5: row.zip5,
      age: row.birth_year === null ? null : new Date().getUTCFullYear() - row.birth_year,
      party: row.party,
      partyCode: row.party_code,
      raceEthnicity: row.race_ethnicity,
      propensity: row.propensity,
      phones: row.phones,
      active: true,
    });
    expect(voter.phones.length).toBeGreaterThan(0);
    expect(voter.phones[0]).toEqual({ e164: expect.stringMatching(/^\+1\d{10}$/), lineType: expect.any(String) });
  });

  it('should default to 50 a page and refuse a limit outside 1 to 500 or a cursor it did not issue', async () => {
    const search = app.get(VoterSearchService);
    const filter: VoterFilter = { allianceId: main, active: true };
    expect((await search.search(filter, allianceWideAccess(filter.allianceId))).voters).toHaveLength(50);
    for (const limit of [0, 501, 2.5]) {
      await expect(search.search(filter, allianceWideAccess(filter.allianceId), { limit })).rejects.toMatchObject({
        code: DomainErrorCode.ValidationFailed,
        details: { parameter: 'limit' },
      });
    }
    for (const after of ['42', 'not-a-cursor', Buffer.from('v1:12x').toString('base64url'), Buffer.from('v1:99999999999999999999').toString('base64url')]) {
      await expect(search.search(filter, allianceWideAccess(filter.allianceId), { after })).rejects.toMatchObject({
        code: DomainErrorCode.ValidationFailed,
        message: 'after must be a nextCursor returned by an earlier search',
      });
    }
  });

  describe('export', () => {
    async function exportRecords(filter: VoterFilter): Promise<{ header: string[]; rows: string[][]; rowsWritten: number }> {
      const result = await app.get(VoterExportService).exportCsv(filter, allianceWideAccess(filter.allianceId));
      const [header, ...rows] = parse(await text(result.csv)) as string[][];
      return { header, rows, rowsWritten: result.rowsWritten() };
    }

    it('should write a header and exactly `total` rows, across several batches, each voter once', async () => {
      const filter: VoterFilter = { allianceId: main, active: true };
      const { total } = await app.get(VoterSearchService).search(filter, allianceWideAccess(filter.allianceId), { limit: 1 });
      expect(total).toBeGreaterThan(2 * EXPORT_BATCH_SIZE);
      const { header, rows, rowsWritten } = await exportRecords(filter);
      expect(header).toEqual([...VOTER_EXPORT_COLUMNS]);
      expect(rows).toHaveLength(total);
      expect(rowsWritten).toBe(total);
      const sourceIds = rows.map((row) => row[0]);
      expect(new Set(sourceIds).size).toBe(total);
    });

    it('should write the same voters the search finds for a narrow filter', async () => {
      const filter: VoterFilter = {
        allianceId: main,
        active: true,
        counties: mostCommon(
          mainVoters().map((voter) => voter.county),
          2,
        ),
        parties: [StandardParty.Republican],
      };
      const { total } = await app.get(VoterSearchService).search(filter, allianceWideAccess(filter.allianceId), { limit: 1 });
      const { rows } = await exportRecords(filter);
      expect(rows).toHaveLength(total);
      const column = (name: (typeof VOTER_EXPORT_COLUMNS)[number]) => rows.map((row) => row[VOTER_EXPORT_COLUMNS.indexOf(name)]);
      expect(new Set(column('party'))).toEqual(new Set(['republican']));
      expect(new Set(column('county'))).toEqual(new Set(filter.counties));
    });

    it('should write only the header when nothing matches', async () => {
      const { header, rows } = await exportRecords({ allianceId: other, active: false });
      expect(header).toEqual([...VOTER_EXPORT_COLUMNS]);
      expect(rows).toHaveLength(0);
    });

    it('should stop reading the database when the reader goes away', async () => {
      const result = await app.get(VoterExportService).exportCsv({ allianceId: main, active: true }, allianceWideAccess(main));
      for await (const _chunk of result.csv) break;
      expect(result.csv.destroyed).toBe(true);
      expect(result.rowsWritten()).toBeLessThan(2 * EXPORT_BATCH_SIZE);
    });
  });
});

function byId(left: string, right: string): number {
  return BigInt(left) < BigInt(right) ? -1 : BigInt(left) > BigInt(right) ? 1 : 0;
}
