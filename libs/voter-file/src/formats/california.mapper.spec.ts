import { CaliforniaSyntheticGenerator } from '../generator/california-synthetic.generator';
import { StandardParty } from '../normalization/party.normalizer';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { CALIFORNIA_COLUMNS, CALIFORNIA_COUNTIES, CaliforniaMapper, parseVoterFileDate } from './california.mapper';
import { MissingColumnsError } from './missing-columns.error';

type Column = (typeof CALIFORNIA_COLUMNS)[number];
const line = (values: Partial<Record<Column, string>>): string[] => CALIFORNIA_COLUMNS.map((column) => values[column] ?? '');
const VALID: Partial<Record<Column, string>> = { RegistrantID: '10000001', LastName: 'SMITH', FirstName: 'ANA', CountyCode: '19' };

describe('CaliforniaMapper', () => {
  const mapper = new CaliforniaMapper([...CALIFORNIA_COLUMNS], 2026);

  it('should list the VRD columns with the phone parts expanded, and the 58 counties in code order', () => {
    expect(CALIFORNIA_COLUMNS).toHaveLength(56);
    expect(CALIFORNIA_COLUMNS.slice(19, 22)).toEqual(['Phone1Area', 'Phone1Exchange', 'Phone1NumberPart']);
    expect(CALIFORNIA_COLUMNS[30]).toBe('Phone4NumberPart');
    expect(CALIFORNIA_COUNTIES).toHaveLength(58);
    expect([1, 2, 7, 19, 30, 37, 43, 58].map((code) => CALIFORNIA_COUNTIES[code - 1])).toEqual([
      'ALAMEDA',
      'ALPINE',
      'CONTRA COSTA',
      'LOS ANGELES',
      'ORANGE',
      'SAN DIEGO',
      'SANTA CLARA',
      'YUBA',
    ]);
    expect(mapper).toMatchObject({ format: 'california', keyColumn: 'RegistrantID', carriesVoters: true, carriesHistory: false });
  });

  it('should map every generated line, keeping voters and dropping only invalid phones', () => {
    const [header, ...lines] = [...new CaliforniaSyntheticGenerator({ rows: 5_000, seed: 3 }).lines()].map((text) => text.split('\t'));
    const generated = new CaliforniaMapper(header, 2026);
    const mapped = lines.map((fields, index) => generated.map(index + 2, fields));
    expect(mapped.filter((result) => result.rejection !== null)).toEqual([]);
    const dropped = mapped.flatMap((result) => result.dropped);
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((problem) => /^Phone[1-4]Area$/.test(problem.column ?? '') && problem.reason.startsWith('phone dropped'))).toBe(true);
    const voters = mapped.map((result) => result.voter!);
    expect(voters.every((voter) => voter.phones.every((phone) => /^\+1\d{10}$/.test(phone.e164)))).toBe(true);
    expect(voters.every((voter) => new Set(voter.phones.map((phone) => phone.e164)).size === voter.phones.length)).toBe(true);
    expect(voters.every((voter) => voter.birthYear !== null && voter.registrationDate !== null && voter.residentialAddress !== null)).toBe(true);
    expect(voters.some((voter) => /[ÁÉÍÓÚÑ]/.test(`${voter.firstName} ${voter.lastName}`))).toBe(true);
  });

  it('should reassemble the address and phones, and read the codes beside their standard sets', () => {
    const { voter, dropped } = mapper.map(
      2,
      line({
        ...VALID,
        FirstName: 'JOSÉ',
        LastName: 'PEÑA',
        CountyCode: '07',
        AddressNumber: '1200',
        HouseFractionNumber: '1/2',
        StreetDirPrefix: 'N',
        StreetName: 'EL CAMINO  REAL',
        StreetType: 'BLVD',
        UnitType: 'APT',
        UnitNumber: '3',
        City: 'CONCORD',
        Zip: '945201234',
        Phone1Area: '925',
        Phone1Exchange: '555',
        Phone1NumberPart: '0123',
        Phone2Area: '925',
        Phone2Exchange: '555',
        Phone2NumberPart: '0123',
        Phone3Area: '',
        Phone3Exchange: '555',
        Phone3NumberPart: '1234',
        Phone4Area: '415',
        Phone4Exchange: '867',
        Phone4NumberPart: '5309',
        DOB: '19800615',
        Gender: 'F',
        PartyCode: 'NPP',
        Status: 'A',
        RegistrationDate: '03/04/2016',
        Precinct: '9001234',
      }),
    );
    expect(voter).toEqual({
      sourceVoterId: '10000001',
      firstName: 'JOSÉ',
      middleName: null,
      lastName: 'PEÑA',
      nameSuffix: null,
      residentialAddress: '1200 1/2 N EL CAMINO REAL BLVD APT 3',
      city: 'CONCORD',
      county: 'CONTRA COSTA',
      precinct: '9001234',
      zip5: '94520',
      birthYear: 1980,
      partyCode: 'NPP',
      party: StandardParty.Unaffiliated,
      genderCode: 'F',
      raceCode: null,
      ethnicityCode: null,
      raceEthnicity: StandardRaceEthnicity.Unknown,
      registrationDate: '2016-03-04',
      registrationStatus: 'A',
      phones: [
        { e164: '+19255550123', lineType: 'unknown' },
        { e164: '+14158675309', lineType: 'unknown' },
      ],
    });
    expect(dropped).toEqual([{ lineNumber: 2, column: 'Phone3Area', reason: 'phone dropped: not a valid US number' }]);
  });

  it('should read columns by name, in any order and as a subset, falling back to the non-standard address', () => {
    const subset = new CaliforniaMapper(['partycode', 'NonStandardAddress', 'CountyCode', 'LastName', 'REGISTRANTID', 'FirstName', 'DOB'], 2026);
    expect(subset.keyColumn).toBe('REGISTRANTID');
    expect(subset.map(2, ['GRN', 'RR 2 BOX 7', '58', 'LE', '77', 'MINH', '1990-01-31']).voter).toMatchObject({
      sourceVoterId: '77',
      lastName: 'LE',
      county: 'YUBA',
      residentialAddress: 'RR 2 BOX 7',
      party: StandardParty.Green,
      birthYear: 1990,
      phones: [],
    });
  });

  it('should refuse a header without the required columns, naming them', () => {
    expect(() => new CaliforniaMapper(['LastName', 'FirstName'], 2026)).toThrow(MissingColumnsError);
    expect(() => new CaliforniaMapper(['LastName', 'FirstName'], 2026)).toThrow(
      'The california file is missing the column(s) RegistrantID, CountyCode; a california file needs at least RegistrantID, LastName, FirstName, CountyCode',
    );
  });

  it.each([
    [{ DOB: '19801301' }, 'DOB', '"19801301" is not a calendar date'],
    [{ DOB: '2015-05-05' }, 'DOB', '2015 is not a plausible birth year for a voter'],
    [{ RegistrationDate: '2016/03/04' }, 'RegistrationDate', '"2016/03/04" is not a date (expected YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)'],
    [{ CountyCode: '59' }, 'CountyCode', '"59" is not a California county code (1–58)'],
    [{ CountyCode: '' }, 'CountyCode', '"" is not a California county code (1–58)'],
    [{ Zip: '9452' + 'x' }, 'Zip', '"9452x" is not a ZIP code'],
    [{ RegistrantID: '' }, 'RegistrantID', 'the voter id is empty'],
  ])('should reject a line with %p at column %p: %p', (change, column, reason) => {
    expect(mapper.map(8, line({ ...VALID, ...change }))).toEqual({ voter: null, history: [], rejection: { lineNumber: 8, column, reason }, dropped: [] });
  });

  it('should reject a line whose field count differs from the header', () => {
    expect(mapper.map(3, ['1', '2']).rejection).toEqual({ lineNumber: 3, column: null, reason: 'expected 56 fields (as in the header), found 2' });
  });
});

describe('parseVoterFileDate', () => {
  it.each([
    ['1980-06-15', '1980-06-15'],
    ['06/15/1980', '1980-06-15'],
    ['6/5/1980', '1980-06-05'],
    ['19800615', '1980-06-15'],
    [' ', null],
  ])('should read %p as %p', (raw, iso) => expect(parseVoterFileDate(raw)).toEqual({ ok: true, value: iso }));

  it.each([
    ['19800230', '"19800230" is not a calendar date'],
    ['1980-02-30', '"1980-02-30" is not a calendar date'],
    ['15.06.1980', '"15.06.1980" is not a date (expected YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)'],
  ])('should refuse %p', (raw, reason) => expect(parseVoterFileDate(raw)).toEqual({ ok: false, reason }));
});
