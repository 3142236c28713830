import { NCVOTER_COLUMNS } from '../formats/ncvoter-columns.constant';
import { NcvoterMapper } from '../formats/ncvoter.mapper';
import { NcvoterSyntheticGenerator } from '../generator/ncvoter-synthetic.generator';
import { NewVoterPropensity } from '../normalization/propensity.rule';
import { parseLineBlock } from '../reading/tab-separated-line.reader';
import { CopyTextBuffer } from './copy-text.buffer';
import { LineBatchMapper } from './line-batch.mapper';
import { NcvoterCopyLineWriter } from './ncvoter-copy-line.writer';

const AS_OF = new Date('2026-11-30T00:00:00Z');
const HEADER = [...NCVOTER_COLUMNS];

/** The general path: every line split into strings, mapped, serialized and encoded. */
function generalPath(mapper: LineBatchMapper, bytes: Buffer, firstLineNumber = 2): { voters: Buffer; rows: number; problems: unknown[] } {
  const batch = mapper.map(parseLineBlock({ bytes, firstLineNumber }, mapper.wantedColumns));
  return { voters: Buffer.from(batch.voters as string, 'utf8'), rows: batch.rows, problems: batch.problems };
}

function bytePath(mapper: LineBatchMapper, bytes: Buffer, firstLineNumber = 2): { voters: Buffer; rows: number; problems: unknown[] } {
  const batch = mapper.mapBlock({ bytes, firstLineNumber });
  return { voters: Buffer.from(batch.voters as Uint8Array), rows: batch.rows, problems: batch.problems };
}

function line(overrides: Partial<Record<(typeof NCVOTER_COLUMNS)[number], string>>): string {
  const base: Partial<Record<(typeof NCVOTER_COLUMNS)[number], string>> = {
    county_desc: 'WAKE',
    ncid: 'AA1',
    last_name: 'SMITH',
    first_name: 'ALICE',
    middle_name: 'B',
    res_street_address: '12 MAIN ST',
    res_city_desc: 'RALEIGH',
    zip_code: '27601',
    full_phone_number: '9195550123',
    registr_dt: '04/27/2010',
    race_code: 'B',
    ethnic_code: 'NL',
    party_cd: 'DEM',
    gender_code: 'F',
    birth_year: '1970',
    precinct_abbrv: '01-07',
    status_cd: 'A',
  };
  const values = { ...base, ...overrides };
  return HEADER.map((column) => values[column] ?? '').join('\t');
}

/** The share of lines the byte writer takes itself (the rest go to the general path). */
function acceptedShare(lines: readonly string[]): number {
  const mapper = new NcvoterMapper(HEADER, AS_OF.getUTCFullYear());
  const writer = new NcvoterCopyLineWriter(mapper.positions, mapper.fieldCount, mapper.birthYearsJudgedIn, new NewVoterPropensity(AS_OF));
  const out = new CopyTextBuffer(1024);
  const accepted = lines.filter((text) => {
    const bytes = Buffer.from(text, 'utf8');
    return writer.tryWrite(bytes, 0, bytes.length, 2, out);
  });
  return accepted.length / lines.length;
}

describe('NcvoterCopyLineWriter', () => {
  const newMapper = (header: readonly string[] = HEADER): LineBatchMapper =>
    new LineBatchMapper(new NcvoterMapper(header, AS_OF.getUTCFullYear()), new NewVoterPropensity(AS_OF));

  /** A whole file through both paths: the same rows, problems and bytes, and most lines on the byte path (so the match is not vacuous). */
  const expectByteForByteEqual = (lines: readonly string[], lineBreak: string): void => {
    const bytes = Buffer.from(lines.join(lineBreak) + lineBreak, 'utf8');
    const mapper = newMapper();

    const viaBytes = bytePath(mapper, bytes);
    const viaStrings = generalPath(mapper, bytes);

    // The lines left to the general path are those with accents or odd phones.
    expect(acceptedShare(lines)).toBeGreaterThan(0.9);
    expect(viaBytes.rows).toBe(lines.length);
    expect(viaBytes.problems).toEqual(viaStrings.problems);
    expect(viaBytes.voters.equals(viaStrings.voters)).toBe(true);
  };

  it('should write exactly what the general path writes for a whole generated statewide-like file', () => {
    const [, ...lines] = [...new NcvoterSyntheticGenerator({ rows: 20_000, seed: 7 }).lines()];
    expectByteForByteEqual(lines, '\n');
  });

  it('should write what the general path writes for a legacy file that quotes every field', () => {
    const [, ...lines] = [...new NcvoterSyntheticGenerator({ rows: 5_000, seed: 8 }).lines()];
    expectByteForByteEqual(
      lines.map((text) =>
        text
          .split('\t')
          .map((field) => `"${field}"`)
          .join('\t'),
      ),
      '\r\n',
    );
  });

  it('should take the byte path for plain lines and decline the rest, so every odd line reads as the general path reads it', () => {
    const mapper = new NcvoterMapper(HEADER, AS_OF.getUTCFullYear());
    const writer = new NcvoterCopyLineWriter(mapper.positions, mapper.fieldCount, mapper.birthYearsJudgedIn, new NewVoterPropensity(AS_OF));
    const accepts = (text: string): boolean => {
      const bytes = Buffer.from(text, 'latin1');
      return writer.tryWrite(bytes, 0, bytes.length, 2, new CopyTextBuffer(64));
    };

    expect(accepts(line({}))).toBe(true);
    expect(accepts(line({ full_phone_number: '(919) 555-0123', zip_code: '276011234', birth_year: ' 1970 ' }))).toBe(true);
    expect(accepts(line({ last_name: 'NÚÑEZ' }))).toBe(false);
    expect(accepts(line({ last_name: '"SMITH"' }))).toBe(true);
    expect(
      accepts(
        line({})
          .split('\t')
          .map((field) => `"${field}"`)
          .join('\t'),
      ),
    ).toBe(true);
    expect(accepts(line({ last_name: 'O"BRIEN' }))).toBe(false);
    expect(accepts(line({ last_name: '"O""BRIEN"' }))).toBe(false);
    expect(accepts(line({ res_street_address: 'A\\B' }))).toBe(false);
    expect(accepts(line({ registr_dt: '2010-04-27' }))).toBe(false);
    expect(accepts(line({ zip_code: '27601-1234' }))).toBe(false);
    expect(accepts(line({ full_phone_number: '5550123' }))).toBe(false);
    expect(accepts(line({ ncid: '' }))).toBe(false);
    expect(accepts(line({}).split('\t').slice(1).join('\t'))).toBe(false);
  });

  it('should agree with the general path on every spelling of every field it reads', () => {
    const variants: Array<Partial<Record<(typeof NCVOTER_COLUMNS)[number], string>>> = [
      {},
      { zip_code: '2760' },
      { zip_code: '27601234' },
      { zip_code: '276011234' },
      { zip_code: ' 27601 ' },
      { zip_code: '' },
      { zip_code: '-' },
      { zip_code: '27601-1234' },
      { zip_code: 'ABCDE' },
      { zip_code: '123' },
      { registr_dt: '' },
      { registr_dt: '02/29/2024' },
      { registr_dt: '02/29/2023' },
      { registr_dt: '13/01/2000' },
      { registr_dt: '2010-04-27' },
      { registr_dt: ' 04/27/2010' },
      { registr_dt: '04/27/2025' },
      { registr_dt: '11/30/2026' },
      { registr_dt: '1/2/2003' },
      { birth_year: '' },
      { birth_year: ' 1970 ' },
      { birth_year: '197' },
      { birth_year: '1800' },
      { birth_year: '2015' },
      { birth_year: '19x0' },
      { full_phone_number: '' },
      { full_phone_number: '   ' },
      { full_phone_number: '\u000b' },
      { full_phone_number: '(919) 555-0123' },
      { full_phone_number: '919.555.0123' },
      { full_phone_number: '+1 919 555 0123' },
      { full_phone_number: '1-919-555-0123' },
      { full_phone_number: '19195550123' },
      { full_phone_number: '+19195550123' },
      { full_phone_number: '+9195550123' },
      { full_phone_number: '0000000000' },
      { full_phone_number: '1195550123' },
      { full_phone_number: '5550123' },
      { full_phone_number: '919-555-0123 x12' },
      { full_phone_number: ' 9195550123 ' },
      { full_phone_number: '9195550123\u000b' },
      { full_phone_number: '2125550199' },
      { first_name: '  ALICE  ' },
      { first_name: 'MARY  ANN' },
      { first_name: 'MARY \u000b ANN' },
      { first_name: 'MARY\u000bANN' },
      { first_name: '  ' },
      { first_name: '=cmd|" /C calc"!A0' },
      { first_name: '@SUM(A1)' },
      { res_street_address: '12  MAIN   ST ' },
      { res_street_address: 'A\\B' },
      { last_name: 'NÚÑEZ' },
      { last_name: 'O"BRIEN' },
      { last_name: '"SMITH"' },
      { last_name: '""' },
      { last_name: '"' },
      { last_name: '" SMITH  JR "' },
      { last_name: '"O""BRIEN"' },
      { registr_dt: '"04/27/2010"', zip_code: '"27601"', full_phone_number: '"(919) 555-0123"', birth_year: '"1970"' },
      { party_cd: '"DEM"', race_code: '"W"', ethnic_code: '"HL"' },
      { ncid: '"AA7"' },
      { county_desc: 'x"y' },
      { party_cd: '' },
      { party_cd: ' dem ' },
      { party_cd: 'una' },
      { party_cd: 'DEMOCRATIC' },
      { party_cd: 'XYZW' },
      { party_cd: 'D M' },
      { race_code: 'w', ethnic_code: 'hl' },
      { race_code: '', ethnic_code: '' },
      { race_code: 'Q', ethnic_code: 'UN' },
      { race_code: 'WHITE', ethnic_code: 'NOT HISPANIC' },
      { ncid: '' },
      { ncid: '  AA2  ' },
      { ncid: 'A'.repeat(64) },
      { ncid: 'A'.repeat(65) },
      { ncid: `${'A'.repeat(40)}  ${'B'.repeat(30)}` },
      { status_cd: '' },
      { gender_code: ' ' },
    ];
    const mapper = newMapper();
    const lines = variants.map((overrides, index) => line({ ncid: `V${index}`, ...overrides }));
    const bytes = Buffer.concat([
      Buffer.from(lines.join('\n') + '\n', 'utf8'),
      // A Latin-1 line, a CRLF line, a short line, a blank line and a last line without a break.
      Buffer.from(line({ ncid: 'L1', last_name: 'NU\u00d1EZ' }) + '\n', 'latin1'),
      Buffer.from(line({ ncid: 'CR1' }) + '\r\n', 'utf8'),
      Buffer.from('AA9\tSHORT\n\n', 'utf8'),
      Buffer.from(line({ ncid: 'LAST' }), 'utf8'),
    ]);

    const viaBytes = bytePath(mapper, bytes, 2);
    const viaStrings = generalPath(mapper, bytes, 2);

    expect(viaBytes.rows).toBe(viaStrings.rows);
    expect(viaBytes.problems).toEqual(viaStrings.problems);
    expect(viaBytes.voters.toString('utf8').split('\n')).toEqual(viaStrings.voters.toString('utf8').split('\n'));
  });

  it('should read a file that carries only some of the columns, in another order', () => {
    const header = ['first_name', 'county_desc', 'ncid', 'last_name', 'party_cd', 'registr_dt', 'zip_code', 'full_phone_number'];
    const mapper = newMapper(header);
    const bytes = Buffer.from(['ANN\tWAKE\tX1\tLEE\tREP\t01/02/2003\t27601\t9195550123', 'BO\tDARE\tX2\tYU\t\t\t\t'].join('\n') + '\n');

    const viaBytes = bytePath(mapper, bytes);

    expect(viaBytes.voters.equals(generalPath(mapper, bytes).voters)).toBe(true);
    expect(viaBytes.rows).toBe(2);
  });
});
