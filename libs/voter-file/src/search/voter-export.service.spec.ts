import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Logger } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { allianceWideAccess } from '@app/database';
import { StandardParty } from '../normalization/party.normalizer';
import { Propensity } from '../normalization/propensity.rule';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { VOTER_EXPORT_COLUMNS, VoterExportService } from './voter-export.service';
import type { VoterFilter } from './voter-filter';
import { type VoterSearchRepository, type VoterSearchRow } from './voter-search.repository';

const FILTER: VoterFilter = { allianceId: '8a6e0804-2bd0-4672-b79d-d4f5c7a0d1c1', active: true };

function row(overrides: Partial<VoterSearchRow> = {}): VoterSearchRow {
  return {
    id: '1',
    sourceVoterId: 'AA1',
    firstName: 'ANA',
    middleName: null,
    lastName: 'NÚÑEZ',
    nameSuffix: null,
    residentialAddress: '12 OAK ST',
    city: 'RALEIGH',
    county: 'WAKE',
    precinct: '01-07',
    zip5: '27601',
    birthYear: 1990,
    partyCode: 'DEM',
    party: StandardParty.Democratic,
    raceEthnicity: StandardRaceEthnicity.Hispanic,
    propensity: Propensity.Occasional,
    phones: [],
    registrationDate: '2016-03-01',
    active: true,
    ...overrides,
  };
}

async function exportOf(rows: VoterSearchRow[]): Promise<{ lines: string[]; records: string[][]; rowsWritten: number }> {
  const repository = { streamForExport: async () => Readable.from(rows) } as unknown as VoterSearchRepository;
  const result = await new VoterExportService(repository).exportCsv(FILTER, allianceWideAccess(FILTER.allianceId));
  const csv = await text(result.csv);
  return { lines: csv.trimEnd().split('\n'), records: parse(csv) as string[][], rowsWritten: result.rowsWritten() };
}

describe('VoterExportService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('should write the header then one line per voter with phones in three columns', async () => {
    const { lines, records, rowsWritten } = await exportOf([
      row({
        phones: [
          { e164: '+19195550101', lineType: 'mobile' },
          { e164: '+19195550102', lineType: 'unknown' },
        ],
      }),
      row({ id: '2', sourceVoterId: 'AA2', birthYear: null, registrationDate: null, active: false, partyCode: null }),
    ]);
    expect(lines[0]).toBe(VOTER_EXPORT_COLUMNS.join(','));
    expect(records).toHaveLength(3);
    expect(rowsWritten).toBe(2);
    const [first, second] = records.slice(1).map((record) => Object.fromEntries(VOTER_EXPORT_COLUMNS.map((column, index) => [column, record[index]])));
    expect(first).toMatchObject({
      source_voter_id: 'AA1',
      last_name: 'NÚÑEZ',
      birth_year: '1990',
      phone_1: "'+19195550101",
      phone_2: "'+19195550102",
      phone_3: '',
    });
    expect(first).toMatchObject({ party: 'democratic', race_ethnicity: 'hispanic', propensity: 'occasional', registration_date: '2016-03-01', active: 'true' });
    expect(second).toMatchObject({ birth_year: '', party_code: '', registration_date: '', active: 'false' });
  });

  it('should write only the header when nothing matches', async () => {
    const { lines } = await exportOf([]);
    expect(lines).toEqual([VOTER_EXPORT_COLUMNS.join(',')]);
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['+1+cmd|calc!A0', "'+1+cmd|calc!A0"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['＝1+1', "'＝1+1"],
  ])('should defuse a cell that a spreadsheet would run as a formula: %p', async (value, expected) => {
    const { records } = await exportOf([row({ firstName: value, residentialAddress: value, city: value })]);
    const cells = records[1];
    expect(cells[VOTER_EXPORT_COLUMNS.indexOf('first_name')]).toBe(expected);
    expect(cells[VOTER_EXPORT_COLUMNS.indexOf('residential_address')]).toBe(expected);
    expect(cells[VOTER_EXPORT_COLUMNS.indexOf('city')]).toBe(expected);
  });

  it('should leave ordinary values alone, quoting only where CSV needs it', async () => {
    const { records } = await exportOf([row({ firstName: "O'NEIL", residentialAddress: '12 OAK ST, APT "B"', middleName: 'A=B', lastName: 'SMITH-JONES' })]);
    const cells = records[1];
    expect(cells[VOTER_EXPORT_COLUMNS.indexOf('first_name')]).toBe("O'NEIL");
    expect(cells[VOTER_EXPORT_COLUMNS.indexOf('middle_name')]).toBe('A=B');
    expect(cells[VOTER_EXPORT_COLUMNS.indexOf('last_name')]).toBe('SMITH-JONES');
    expect(cells[VOTER_EXPORT_COLUMNS.indexOf('residential_address')]).toBe('12 OAK ST, APT "B"');
  });
});
