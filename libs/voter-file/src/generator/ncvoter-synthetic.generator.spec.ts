import { createHash } from 'node:crypto';
import { NCVOTER_COLUMNS } from '../formats/ncvoter-columns.constant';
import { normalizePhone } from '../phone-number.util';
import { NcvoterSyntheticGenerator } from './ncvoter-synthetic.generator';

const rowsOf = (rows: number, seed: number, quoted = false): string[][] =>
  [...new NcvoterSyntheticGenerator({ rows, seed, quoted }).lines()].map((line) => line.split('\t'));
const digest = (rows: number, seed: number): string =>
  createHash('sha256')
    .update([...new NcvoterSyntheticGenerator({ rows, seed }).lines()].join('\n'))
    .digest('hex');

describe('NcvoterSyntheticGenerator', () => {
  const [header, ...voters] = rowsOf(20_000, 42);
  const column = (name: (typeof NCVOTER_COLUMNS)[number]): string[] => voters.map((fields) => fields[header.indexOf(name)]);
  const share = (values: string[], value: string): number => values.filter((candidate) => candidate === value).length / values.length;

  it('should write the 67-column header and one 67-field line per voter', () => {
    expect(header).toEqual([...NCVOTER_COLUMNS]);
    expect(voters).toHaveLength(20_000);
    expect(voters.every((fields) => fields.length === 67)).toBe(true);
  });

  it('should give the same file for the same seed and another for another seed', () => {
    expect(digest(2_000, 7)).toBe(digest(2_000, 7));
    expect(digest(2_000, 7)).not.toBe(digest(2_000, 8));
  });

  it('should give every voter a unique ncid and well-formed codes and dates', () => {
    expect(new Set(column('ncid')).size).toBe(voters.length);
    expect(column('county_id').every((value) => Number(value) >= 1 && Number(value) <= 100)).toBe(true);
    expect(column('registr_dt').every((value) => /^(0[1-9]|1[0-2])\/([0-2]\d)\/(19[6-9]\d|20[0-2]\d)$/.test(value))).toBe(true);
    expect(column('birth_year').every((value) => Number(value) >= 1927 && Number(value) <= 2008)).toBe(true);
    expect(column('zip_code').every((value) => /^\d{5}(\d{4})?$/.test(value))).toBe(true);
  });

  it('should draw plausible shares of party, race, ethnicity and counties', () => {
    const party = column('party_cd');
    expect(share(party, 'UNA')).toBeCloseTo(0.37, 1);
    expect(share(party, 'DEM')).toBeCloseTo(0.31, 1);
    expect(share(party, 'REP')).toBeCloseTo(0.3, 1);
    expect(share(column('race_code'), 'W')).toBeCloseTo(0.62, 1);
    expect(share(column('ethnic_code'), 'HL')).toBeCloseTo(0.08, 1);
    expect(share(column('county_desc'), 'WAKE')).toBeGreaterThan(0.09);
    expect(share(column('county_desc'), 'WAKE')).toBeLessThan(0.14);
  });

  it('should carry phones that mostly normalize, some junk, and some accented names', () => {
    const phones = column('full_phone_number').filter((phone) => phone !== '');
    expect(phones.length / voters.length).toBeCloseTo(0.74, 1);
    const valid = phones.filter((phone) => normalizePhone(phone).ok).length / phones.length;
    expect(valid).toBeGreaterThan(0.9);
    expect(valid).toBeLessThan(1);
    expect(column('last_name').some((name) => /[ÁÉÍÓÚÑ]/.test(name))).toBe(true);
  });

  it('should quote every field when asked, as legacy files do', () => {
    const [quotedHeader, firstVoter] = rowsOf(1, 1, true);
    expect(quotedHeader[0]).toBe('"county_id"');
    expect(firstVoter.every((field) => field.startsWith('"') && field.endsWith('"'))).toBe(true);
  });
});
