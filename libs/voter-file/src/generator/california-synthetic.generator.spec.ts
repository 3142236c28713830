import { createHash } from 'node:crypto';
import { CALIFORNIA_COLUMNS, CaliforniaMapper } from '../formats/california.mapper';
import { normalizePhone } from '../phone-number.util';
import { CaliforniaSyntheticGenerator } from './california-synthetic.generator';
import { syntheticVoterFile } from './synthetic-voter-file';

type Column = (typeof CALIFORNIA_COLUMNS)[number];
const linesOf = (rows: number, seed: number): string[] => [...new CaliforniaSyntheticGenerator({ rows, seed }).lines()];
const digest = (rows: number, seed: number): string => createHash('sha256').update(linesOf(rows, seed).join('\n')).digest('hex');

async function streamed(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('CaliforniaSyntheticGenerator', () => {
  const [header, ...voters] = linesOf(5_000, 42).map((line) => line.split('\t'));
  const column = (name: Column): string[] => voters.map((fields) => fields[header.indexOf(name)]);
  const share = (values: string[], value: string): number => values.filter((candidate) => candidate === value).length / values.length;

  it('should write the VRD header and one 56-field line per voter', () => {
    expect(header).toEqual([...CALIFORNIA_COLUMNS]);
    expect(voters).toHaveLength(5_000);
    expect(voters.every((fields) => fields.length === 56)).toBe(true);
    expect(() => new CaliforniaMapper(header, 2026)).not.toThrow();
  });

  it('should give the same file for the same seed and another for another seed', () => {
    expect(digest(1_000, 7)).toBe(digest(1_000, 7));
    expect(digest(1_000, 7)).not.toBe(digest(1_000, 8));
  });

  it('should give every voter a unique id and well-formed codes, dates and ZIPs', () => {
    expect(new Set(column('RegistrantID')).size).toBe(voters.length);
    expect(column('CountyCode').every((value) => /^\d\d$/.test(value) && Number(value) >= 1 && Number(value) <= 58)).toBe(true);
    expect([...column('DOB'), ...column('RegistrationDate')].every((value) => /^(19|20)\d\d-(0[1-9]|1[0-2])-([0-2]\d)$/.test(value))).toBe(true);
    expect(column('Zip').every((value) => /^9\d{4}(\d{4})?$/.test(value))).toBe(true);
    expect(column('Status').every((value) => value === 'A')).toBe(true);
  });

  it('should weight the big counties and draw California-like party shares', () => {
    const counties = column('CountyCode');
    expect(share(counties, '19')).toBeGreaterThan(0.19); // LOS ANGELES
    expect(share(counties, '19')).toBeLessThan(0.29);
    for (const code of ['01', '07', '10', '30', '33', '34', '36', '37', '43']) expect(share(counties, code)).toBeGreaterThan(0.01);
    const party = column('PartyCode');
    expect(share(party, 'DEM')).toBeCloseTo(0.46, 1);
    expect(share(party, 'REP')).toBeCloseTo(0.24, 1);
    expect(share(party, 'NPP')).toBeCloseTo(0.22, 1);
    expect(party.filter((code) => !['DEM', 'REP', 'NPP'].includes(code)).length / party.length).toBeGreaterThan(0.04);
  });

  it('should split phones into parts that mostly normalize, with some junk', () => {
    const phones = voters
      .flatMap((fields) =>
        [1, 2, 3, 4].map((slot) => [`Phone${slot}Area`, `Phone${slot}Exchange`, `Phone${slot}NumberPart`].map((name) => fields[header.indexOf(name)])),
      )
      .filter((parts) => parts.some((part) => part !== ''));
    const withPhone = voters.filter((fields) => ['Phone1Area', 'Phone1Exchange', 'Phone1NumberPart'].some((name) => fields[header.indexOf(name)] !== ''));
    expect(withPhone.length / voters.length).toBeCloseTo(0.58, 1);
    expect(phones.length / voters.length).toBeGreaterThan(0.6);
    expect(phones.length / voters.length).toBeLessThan(0.9);
    const valid = phones.filter((parts) => normalizePhone(parts.join('')).ok).length / phones.length;
    expect(valid).toBeGreaterThan(0.9);
    expect(valid).toBeLessThan(1);
  });

  it('should carry Spanish (some accented) and Asian names among the rest', () => {
    const lastNames = column('LastName');
    expect(lastNames.some((name) => /[ÁÉÍÓÚÑ]/.test(name))).toBe(true);
    expect(share(lastNames, 'GARCIA') + share(lastNames, 'GARCÍA')).toBeGreaterThan(0.002);
    expect(share(lastNames, 'NGUYEN')).toBeGreaterThan(0.002);
    expect(share(column('Language'), 'spa')).toBeGreaterThan(0.05);
  });

  it('should stream the same lines in Latin-1', async () => {
    const bytes = await streamed(syntheticVoterFile({ format: 'california', rows: 300, seed: 5, quoted: true, encoding: 'latin1' }));
    expect(bytes.toString('latin1')).toBe(`${linesOf(300, 5).join('\n')}\n`);
  });
});
