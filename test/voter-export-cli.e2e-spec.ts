import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isolatedProcessEnvironment } from '@app/config';
import { createTestContext, type TestContext, withAdminClient } from '@app/testing';
import { VOTER_EXPORT_COLUMNS } from '@app/voter-file';

describe('the cli: voters export', () => {
  let context: TestContext;
  const slug = 'export-test';

  beforeAll(async () => {
    context = await createTestContext();
    await sql(`INSERT INTO alliance (slug, name) VALUES ($1, 'Export Test Alliance')`, [slug]);
    const generated = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'voters', 'generate', '--rows', '2500', '--seed', '31'], {
      env: isolatedProcessEnvironment({}),
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(generated.status).toBe(0);
    const file = join(context.temporaryDirectory, 'ncvoter.txt');
    writeFileSync(file, generated.stdout);
    const imported = cli('voters', 'import', file, '--alliance', slug);
    expect(imported.status).toBe(0);
  }, 120_000);

  afterAll(() => context.dispose());

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
      env: isolatedProcessEnvironment({
        DATABASE_URL: context.config.database.url,
        REDIS_URL: context.config.redis.url,
        QUEUE_PREFIX: context.config.queue.prefix,
      }),
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });

  async function sql<T = Record<string, unknown>>(text: string, parameters: unknown[] = []): Promise<T[]> {
    return withAdminClient(context.config.database.url!, async (client) => (await client.query(text, parameters)).rows as T[]);
  }

  async function countWhere(condition: string, parameters: unknown[] = []): Promise<number> {
    const [{ count }] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM voter WHERE active AND ${condition}`, parameters);
    return count;
  }

  it('should stream every active voter as CSV to stdout, header first and nothing else', async () => {
    const result = cli('voters', 'export', '--alliance', slug);
    expect(result.status).toBe(0);
    const [header, ...rows] = parse(result.stdout) as string[][];
    expect(header).toEqual([...VOTER_EXPORT_COLUMNS]);
    expect(rows).toHaveLength(await countWhere('true'));
  });

  it('should apply the filters, lists comma-separated or repeated', async () => {
    const [{ county }] = await sql<{ county: string }>(`SELECT county FROM voter GROUP BY county ORDER BY count(*) DESC LIMIT 1`);
    const year = new Date().getUTCFullYear();
    const expected = await countWhere(`county = $1 AND party IN ('democratic', 'republican') AND birth_year <= $2 AND has_phone`, [county, year - 30]);
    expect(expected).toBeGreaterThan(0);
    const commaSeparated = cli(
      'voters',
      'export',
      '--county',
      `${county},NOWHERE`,
      '--party',
      'democratic,republican',
      '--age-min',
      '30',
      '--has-phone',
      'true',
    );
    const repeated = cli(
      'voters',
      'export',
      '--county',
      county,
      '--county',
      'NOWHERE',
      '--party',
      'democratic',
      '--party',
      'republican',
      '--age-min',
      '30',
      '--has-phone',
      'true',
    );
    expect(commaSeparated.status).toBe(0);
    expect(parse(commaSeparated.stdout)).toHaveLength(expected + 1);
    expect(repeated.stdout).toBe(commaSeparated.stdout);
  });

  it('should write a file with --output and end stdout with one JSON line', async () => {
    const output = join(context.temporaryDirectory, 'voters.csv');
    const result = cli('voters', 'export', '--propensity', 'new', '--output', output);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
    const expected = await countWhere(`propensity = 'new'`);
    expect(summary).toMatchObject({ output, alliance: slug, rows: expected });
    expect(parse(readFileSync(output, 'utf8'))).toHaveLength(expected + 1);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it.each([
    [['--party', 'dem'], '--party must be one of democratic, republican, unaffiliated, libertarian, green, other, unknown; got "dem"'],
    [['--age-min', '50', '--age-max', '40'], '--age-min (50) must not be greater than --age-max (40)'],
    [['--race-ethnicity', 'latino'], '--race-ethnicity must be one of hispanic, white, black'],
    [['--has-phone', 'yes'], '--has-phone must be true or false; got "yes"'],
    [['--zip', '123'], '--zip must be five-digit ZIP codes; got "123"'],
    [['--alliance', 'no-such-alliance'], 'There is no alliance "no-such-alliance"'],
    [['--output', '/no/such/directory/voters.csv'], '--output /no/such/directory/voters.csv: the directory /no/such/directory does not exist'],
  ])('should exit 2 on %p naming the problem, and write nothing to stdout', (args, message) => {
    const result = cli('voters', 'export', ...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});
