import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { OHIO_FIXED_COLUMNS, OhioMapper } from '../formats/ohio.mapper';
import { OHIO_SYNTHETIC_ELECTIONS, OhioSyntheticGenerator } from './ohio-synthetic.generator';
import { syntheticVoterFile } from './synthetic-voter-file';

const linesOf = (rows: number, seed: number): string[] => [...new OhioSyntheticGenerator({ rows, seed }).lines()];
const digest = (rows: number, seed: number): string => createHash('sha256').update(linesOf(rows, seed).join('\n')).digest('hex');

async function streamed(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('OhioSyntheticGenerator', () => {
  const lines = linesOf(5_000, 42);
  const [header, ...voters] = parse(lines.join('\n')) as string[][];
  const column = (name: string): string[] => voters.map((fields) => fields[header.indexOf(name)]);
  const share = (values: string[], value: string): number => values.filter((candidate) => candidate === value).length / values.length;
  const ages = column('DATE_OF_BIRTH').map((birthDate) => 2026 - Number(birthDate.slice(0, 4)));
  const turnout = (election: string, youngest: number, oldest: number): number => {
    const cells = column(election).filter((_, index) => ages[index] >= youngest && ages[index] <= oldest);
    return cells.filter((cell) => cell !== '').length / cells.length;
  };

  it('should write the fixed columns and the election columns, every field quoted, one line per voter', () => {
    expect(header).toEqual([...OHIO_FIXED_COLUMNS, ...OHIO_SYNTHETIC_ELECTIONS]);
    expect(OHIO_SYNTHETIC_ELECTIONS).toHaveLength(12);
    expect(voters).toHaveLength(5_000);
    expect(voters.every((fields) => fields.length === header.length)).toBe(true);
    expect(lines.every((line) => line.startsWith('"') && line.endsWith('"') && line.split('","').length === header.length)).toBe(true);
    expect(() => new OhioMapper(header, 2026)).not.toThrow();
  });

  it('should give the same file for the same seed and another for another seed', () => {
    expect(digest(1_000, 7)).toBe(digest(1_000, 7));
    expect(digest(1_000, 7)).not.toBe(digest(1_000, 8));
  });

  it('should give every voter a unique id and well-formed counties, dates and ZIPs', () => {
    expect(new Set(column('SOS_VOTERID')).size).toBe(voters.length);
    expect(column('COUNTY_NUMBER').every((value) => Number(value) >= 1 && Number(value) <= 88)).toBe(true);
    expect([...column('DATE_OF_BIRTH'), ...column('REGISTRATION_DATE')].every((value) => /^(19|20)\d\d-(0[1-9]|1[0-2])-([0-2]\d)$/.test(value))).toBe(true);
    expect(column('RESIDENTIAL_ZIP').every((value) => /^4[345]\d{3}$/.test(value))).toBe(true);
    expect(ages.every((age) => age >= 18 && age <= 99)).toBe(true);
  });

  it('should draw plausible shares of counties, status and party affiliation', () => {
    const counties = column('COUNTY_NUMBER');
    expect(share(counties, '25')).toBeGreaterThan(0.08); // FRANKLIN
    expect(share(counties, '25')).toBeLessThan(0.15);
    expect(share(counties, '18')).toBeGreaterThan(0.08); // CUYAHOGA
    expect(share(column('VOTER_STATUS'), 'ACTIVE')).toBeCloseTo(0.88, 1);
    const party = column('PARTY_AFFILIATION');
    expect(share(party, '')).toBeGreaterThan(0.55);
    expect(share(party, '')).toBeLessThan(0.9);
    expect(share(party, 'R')).toBeGreaterThan(share(party, 'D'));
    expect(share(party, 'D')).toBeGreaterThan(0.05);
  });

  it('should mark votes as X, or the party letter in primaries, with turnout rising with age', () => {
    for (const election of OHIO_SYNTHETIC_ELECTIONS) {
      const allowed = election.startsWith('PRIMARY') ? ['', 'X', 'D', 'R', 'L', 'G'] : ['', 'X'];
      expect(column(election).every((cell) => allowed.includes(cell))).toBe(true);
    }
    const general2020 = 1 - share(column('GENERAL-11/03/2020'), '');
    expect(general2020).toBeGreaterThan(0.45);
    expect(general2020).toBeLessThan(0.85);
    expect(turnout('GENERAL-11/08/2022', 65, 99) - turnout('GENERAL-11/08/2022', 22, 34)).toBeGreaterThan(0.15);
    expect(turnout('PRIMARY-03/19/2024', 65, 99)).toBeGreaterThan(turnout('PRIMARY-03/19/2024', 20, 34));
  });

  it('should make the affiliation the party of the latest primary ballot since 2024', () => {
    const recent = ['PRIMARY-05/06/2025', 'PRIMARY-03/19/2024'] as const;
    const expected = voters.map((_, index) => {
      const ballot = recent.map((election) => column(election)[index]).find((cell) => cell !== '');
      return ballot === undefined || ballot === 'X' ? '' : ballot;
    });
    expect(column('PARTY_AFFILIATION')).toEqual(expected);
  });

  it('should carry a few accented names, and stream the same lines in Latin-1', async () => {
    expect(column('LAST_NAME').some((name) => /[ÁÉÍÓÚÑÜ]/.test(name))).toBe(true);
    const bytes = await streamed(syntheticVoterFile({ format: 'ohio', rows: 300, seed: 5, quoted: false, encoding: 'latin1' }));
    expect(bytes.toString('latin1')).toBe(`${linesOf(300, 5).join('\n')}\n`);
  });
});
