import { parse } from 'csv-parse/sync';
import { OhioSyntheticGenerator } from '../generator/ohio-synthetic.generator';
import { StandardParty } from '../normalization/party.normalizer';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { UnreadableVoterFileError } from '../reading/voter-file.error';
import { MissingColumnsError } from './missing-columns.error';
import { OHIO_COUNTIES, OHIO_ELECTION_COLUMN_PATTERN, OHIO_FIXED_COLUMNS, OhioMapper } from './ohio.mapper';

const SUBSET = [
  'PRIMARY-05/03/2022',
  'FIRST_NAME',
  'SOS_VOTERID',
  'LAST_NAME',
  'COUNTY_NUMBER',
  'DATE_OF_BIRTH',
  'REGISTRATION_DATE',
  'PARTY_AFFILIATION',
  'RESIDENTIAL_ADDRESS1',
  'RESIDENTIAL_SECONDARY_ADDR',
  'RESIDENTIAL_ZIP',
  'PRECINCT_NAME',
  'PRECINCT_CODE',
  'general-11/08/2022',
];
const row = (values: Record<string, string>): string[] => SUBSET.map((column) => values[column] ?? '');
const VALID = {
  SOS_VOTERID: 'OH0000000001',
  FIRST_NAME: 'ANA',
  LAST_NAME: 'SMITH',
  COUNTY_NUMBER: '25',
  DATE_OF_BIRTH: '1980-06-15',
  REGISTRATION_DATE: '2004-10-01',
  RESIDENTIAL_ZIP: '43215',
};

describe('OhioMapper', () => {
  it('should list the 46 fixed columns and the 88 counties in county-number order', () => {
    expect(OHIO_FIXED_COLUMNS).toHaveLength(46);
    expect(OHIO_COUNTIES).toHaveLength(88);
    expect([OHIO_COUNTIES[0], OHIO_COUNTIES[17], OHIO_COUNTIES[24], OHIO_COUNTIES[30], OHIO_COUNTIES[87]]).toEqual([
      'ADAMS',
      'CUYAHOGA',
      'FRANKLIN',
      'HAMILTON',
      'WYANDOT',
    ]);
    expect(['GENERAL-11/03/2020', 'primary-05/03/2022', 'SPECIAL-08/08/2023'].every((name) => OHIO_ELECTION_COLUMN_PATTERN.test(name))).toBe(true);
    expect(['GENERAL-2020-11-03', 'RUNOFF-11/03/2020', 'GENERAL-11/03/2020X'].some((name) => OHIO_ELECTION_COLUMN_PATTERN.test(name))).toBe(false);
  });

  it('should map every generated line without rejection, with its vote history', () => {
    const [header, ...lines] = parse([...new OhioSyntheticGenerator({ rows: 5_000, seed: 3 }).lines()].join('\n')) as string[][];
    const mapper = new OhioMapper(header, 2026);
    const mapped = lines.map((fields, index) => mapper.map(index + 2, fields));
    expect(mapped.filter((line) => line.rejection !== null)).toEqual([]);
    expect(mapped.every((line) => line.voter !== null && line.dropped.length === 0 && line.voter.phones.length === 0)).toBe(true);
    const history = mapped.flatMap((line) => line.history);
    expect(history.length).toBeGreaterThan(lines.length);
    expect(history.every((entry) => OHIO_ELECTION_COLUMN_PATTERN.test(entry.electionLabel ?? '') && entry.votingMethod === null)).toBe(true);
    expect(history.filter((entry) => entry.electionType !== 'primary').every((entry) => entry.votedPartyCode === null)).toBe(true);
    expect(new Set(history.filter((entry) => entry.electionType === 'primary').map((entry) => entry.votedPartyCode))).toEqual(
      new Set([null, 'D', 'R', 'L', 'G']),
    );
    expect(mapped.some((line) => /[ÁÉÍÓÚÑÜ]/.test(`${line.voter!.firstName}${line.voter!.lastName}`))).toBe(true);
  });

  it('should read columns by name in any order, with elections wherever they sit in the header', () => {
    const mapper = new OhioMapper(SUBSET, 2026);
    expect(mapper).toMatchObject({ format: 'ohio', keyColumn: 'SOS_VOTERID', carriesVoters: true, carriesHistory: true });
    const fields = row({
      ...VALID,
      FIRST_NAME: 'MARÍA',
      LAST_NAME: 'NÚÑEZ',
      COUNTY_NUMBER: '18',
      PARTY_AFFILIATION: 'D',
      RESIDENTIAL_ADDRESS1: '12  ELM ST',
      RESIDENTIAL_SECONDARY_ADDR: 'APT 4',
      RESIDENTIAL_ZIP: '44101',
      PRECINCT_NAME: 'CLEVELAND 3-B',
      'PRIMARY-05/03/2022': 'd',
      'general-11/08/2022': 'X',
    });
    expect(mapper.map(2, fields)).toEqual({
      voter: {
        sourceVoterId: 'OH0000000001',
        firstName: 'MARÍA',
        middleName: null,
        lastName: 'NÚÑEZ',
        nameSuffix: null,
        residentialAddress: '12 ELM ST APT 4',
        city: null,
        county: 'CUYAHOGA',
        precinct: 'CLEVELAND 3-B',
        zip5: '44101',
        birthYear: 1980,
        partyCode: 'D',
        party: StandardParty.Democratic,
        genderCode: null,
        raceCode: null,
        ethnicityCode: null,
        raceEthnicity: StandardRaceEthnicity.Unknown,
        registrationDate: '2004-10-01',
        registrationStatus: null,
        phones: [],
      },
      history: [
        {
          sourceVoterId: 'OH0000000001',
          electionDate: '2022-05-03',
          electionType: 'primary',
          electionLabel: 'PRIMARY-05/03/2022',
          votingMethod: null,
          votedPartyCode: 'D',
        },
        {
          sourceVoterId: 'OH0000000001',
          electionDate: '2022-11-08',
          electionType: 'general',
          electionLabel: 'general-11/08/2022',
          votingMethod: null,
          votedPartyCode: null,
        },
      ],
      rejection: null,
      dropped: [],
    });
  });

  it('should read an empty affiliation as unaffiliated, and take the precinct code when the name is empty', () => {
    const { voter, history } = new OhioMapper(SUBSET, 2026).map(2, row({ ...VALID, PRECINCT_CODE: '25-AAB' }));
    expect(voter).toMatchObject({ partyCode: null, party: StandardParty.Unaffiliated, precinct: '25-AAB', residentialAddress: null });
    expect(history).toEqual([]);
    const withoutParty = new OhioMapper(['SOS_VOTERID', 'LAST_NAME', 'FIRST_NAME', 'COUNTY_NUMBER'], 2026);
    expect(withoutParty.map(2, ['OH1', 'SMITH', 'ANA', '1']).voter).toMatchObject({ party: StandardParty.Unknown, county: 'ADAMS' });
  });

  it('should refuse a header without the required columns, naming them', () => {
    expect(() => new OhioMapper(['SOS_VOTERID', 'FIRST_NAME', 'GENERAL-11/03/2020'], 2026)).toThrow(MissingColumnsError);
    expect(() => new OhioMapper(['SOS_VOTERID', 'FIRST_NAME', 'GENERAL-11/03/2020'], 2026)).toThrow(
      'The ohio file is missing the column(s) LAST_NAME, COUNTY_NUMBER; a ohio file needs at least SOS_VOTERID, LAST_NAME, FIRST_NAME, COUNTY_NUMBER',
    );
  });

  it('should refuse an election column whose date is not a calendar date', () => {
    expect(() => new OhioMapper(['SOS_VOTERID', 'LAST_NAME', 'FIRST_NAME', 'COUNTY_NUMBER', 'GENERAL-11/31/2020'], 2026)).toThrow(UnreadableVoterFileError);
  });

  it.each([
    [{ DATE_OF_BIRTH: '1980-02-30' }, 'DATE_OF_BIRTH', '"1980-02-30" is not a calendar date'],
    [{ DATE_OF_BIRTH: '1800-01-01' }, 'DATE_OF_BIRTH', '1800 is not a plausible birth year for a voter'],
    [{ REGISTRATION_DATE: '10/2004' }, 'REGISTRATION_DATE', '"10/2004" is not a date (expected MM/DD/YYYY or YYYY-MM-DD)'],
    [{ COUNTY_NUMBER: '89' }, 'COUNTY_NUMBER', '"89" is not an Ohio county number (1–88)'],
    [{ COUNTY_NUMBER: 'FRANKLIN' }, 'COUNTY_NUMBER', '"FRANKLIN" is not an Ohio county number (1–88)'],
    [{ RESIDENTIAL_ZIP: '432' }, 'RESIDENTIAL_ZIP', '"432" is not a ZIP code (expected 5 or 9 digits)'],
    [{ SOS_VOTERID: ' ' }, 'SOS_VOTERID', 'the voter id is empty'],
  ])('should reject a line with %p at column %p: %p', (change, column, reason) => {
    expect(new OhioMapper(SUBSET, 2026).map(4, row({ ...VALID, ...change }))).toEqual({
      voter: null,
      history: [],
      rejection: { lineNumber: 4, column, reason },
      dropped: [],
    });
  });

  it('should name columns as the header spells them, and reject a line with the wrong field count', () => {
    const mapper = new OhioMapper(['sos_voterid', 'last_name', 'first_name', 'county_number'], 2026);
    expect(mapper.keyColumn).toBe('sos_voterid');
    expect(mapper.map(5, ['OH1', 'SMITH', 'ANA', '0']).rejection).toEqual({
      lineNumber: 5,
      column: 'county_number',
      reason: '"0" is not an Ohio county number (1–88)',
    });
    expect(mapper.map(6, ['OH1', 'SMITH']).rejection).toEqual({ lineNumber: 6, column: null, reason: 'expected 4 fields (as in the header), found 2' });
  });
});
