import { parseLineBlock } from '../reading/tab-separated-line.reader';
import { NcvoterSyntheticGenerator } from '../generator/ncvoter-synthetic.generator';
import { StandardParty } from '../normalization/party.normalizer';
import { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { MissingColumnsError } from './missing-columns.error';
import { NCVOTER_COLUMNS } from './ncvoter-columns.constant';
import { NcvoterMapper } from './ncvoter.mapper';

describe('NcvoterMapper', () => {
  it('should map every generated line, keeping voters and dropping only invalid phones', () => {
    const [header, ...lines] = [...new NcvoterSyntheticGenerator({ rows: 5_000, seed: 3 }).lines()].map((line) => line.split('\t'));
    const mapper = new NcvoterMapper(header, 2026);
    const mapped = lines.map((fields, index) => mapper.map(index + 2, fields));
    expect(mapped.every((line) => line.rejection === null && line.voter !== null)).toBe(true);
    const dropped = mapped.flatMap((line) => line.dropped);
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every((problem) => problem.column === 'full_phone_number' && problem.reason.startsWith('phone dropped'))).toBe(true);
    expect(mapped.every((line) => line.voter!.phones.every((phone) => /^\+1\d{10}$/.test(phone.e164)))).toBe(true);
  });

  it('should read columns by name, in any order and as a subset, with the standard sets beside the raw codes', () => {
    const mapper = new NcvoterMapper(
      ['first_name', 'county_desc', 'ncid', 'last_name', 'party_cd', 'race_code', 'ethnic_code', 'registr_dt', 'zip_code', 'full_phone_number'],
      2026,
    );
    const { voter } = mapper.map(2, ['MARÍA', 'WAKE', 'AA123', 'NÚÑEZ', 'UNA', 'W', 'HL', '04/27/2023', '276011234', '(919) 555-0123']);
    expect(voter).toMatchObject({
      sourceVoterId: 'AA123',
      firstName: 'MARÍA',
      lastName: 'NÚÑEZ',
      county: 'WAKE',
      partyCode: 'UNA',
      party: StandardParty.Unaffiliated,
      raceEthnicity: StandardRaceEthnicity.Hispanic,
      registrationDate: '2023-04-27',
      zip5: '27601',
      phones: [{ e164: '+19195550123', lineType: 'unknown' }],
      precinct: null,
      birthYear: null,
    });
  });

  it('should accept the newer 70-column layout', () => {
    const header = [...NCVOTER_COLUMNS.slice(0, 34), 'ssn', 'no_dl_ssn_chkbx', 'hava_id_req', ...NCVOTER_COLUMNS.slice(34)];
    expect(() => new NcvoterMapper(header, 2026)).not.toThrow();
  });

  it('should refuse a header without the required columns, naming the missing and the expected ones', () => {
    let thrown: unknown;
    try {
      new NcvoterMapper(['county_desc', 'first_name'], 2026);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MissingColumnsError);
    expect((thrown as MissingColumnsError).missing).toEqual(['ncid', 'last_name']);
    expect((thrown as Error).message).toBe(
      'The ncvoter file is missing the column(s) ncid, last_name; a ncvoter file needs at least ncid, last_name, first_name, county_desc',
    );
  });

  it.each([
    [['AA1', 'SMITH', 'ANA', 'WAKE', '02/30/2020', '1980'], 'registr_dt', '"02/30/2020" is not a calendar date'],
    [['AA1', 'SMITH', 'ANA', 'WAKE', '01/02/2020', '19x0'], 'birth_year', '"19x0" is not a four-digit year'],
    [['', 'SMITH', 'ANA', 'WAKE', '01/02/2020', '1980'], 'ncid', 'the voter id is empty'],
    [['AA1', 'SMITH', 'ANA'], null, 'expected 6 fields (as in the header), found 3'],
  ])('should reject line %p at column %p: %p', (fields, column, reason) => {
    const mapper = new NcvoterMapper(['ncid', 'last_name', 'first_name', 'county_desc', 'registr_dt', 'birth_year'], 2026);
    expect(mapper.map(7, fields)).toEqual({ voter: null, history: [], rejection: { lineNumber: 7, column, reason }, dropped: [] });
  });
});

describe('NcvoterMapper.wantedColumns', () => {
  it('should map lines split only at its wanted columns exactly as fully split ones', () => {
    const text = `${[...new NcvoterSyntheticGenerator({ rows: 2_000, seed: 8, quoted: true }).lines()].join('\n')}\n`;
    const block = { bytes: Buffer.from(text), firstLineNumber: 1 };
    const [header, ...full] = parseLineBlock(block);
    const mapper = new NcvoterMapper(header.fields, 2026);
    const partial = parseLineBlock(block, mapper.wantedColumns).slice(1);

    expect(mapper.wantedColumns.filter(Boolean)).toHaveLength(18);
    expect(partial.map((line) => mapper.map(line.lineNumber, line.fields))).toEqual(full.map((line) => mapper.map(line.lineNumber, line.fields)));
  });
});
