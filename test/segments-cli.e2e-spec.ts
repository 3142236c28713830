import { spawnSync } from 'node:child_process';
import { openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { isolatedProcessEnvironment } from '@app/config';
import { loadVoterTruth, pollCsv, samplePoll } from '@app/segments/synthetic-poll';
import { createTestContext, type TestContext } from '@app/testing';

describe('segments train, apply and export (the cli, real processes)', () => {
  let context: TestContext;
  let database: Client;
  let pollPath: string;
  let activeVoters: number;

  const environment = () =>
    isolatedProcessEnvironment({ DATABASE_URL: context.config.database.url, REDIS_URL: context.config.redis.url, QUEUE_PREFIX: context.config.queue.prefix });
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
      env: environment(),
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  const lastJsonLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;

  beforeAll(async () => {
    context = await createTestContext();
    database = new Client({ connectionString: context.config.database.url });
    await database.connect();
    expect(cli('seed', 'demo').status).toBe(0);
    const file = join(context.temporaryDirectory, 'voters.txt');
    const output = openSync(file, 'w');
    try {
      expect(
        spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'voters', 'generate', '--rows', '3000', '--seed', '5'], {
          stdio: ['ignore', output, 'inherit'],
        }).status,
      ).toBe(0);
    } finally {
      closeSync(output);
    }
    expect(cli('voters', 'import', file, '--alliance', 'california').status).toBe(0);
    const [{ id }] = (await database.query<{ id: string }>(`SELECT id FROM alliance WHERE slug = 'california'`)).rows;
    activeVoters = (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM voter WHERE alliance_id = $1 AND active`, [id])).rows[0].n;
    const pool = new Pool({ connectionString: context.config.database.url!, max: 1 });
    pollPath = join(context.temporaryDirectory, 'poll.csv');
    try {
      writeFileSync(pollPath, pollCsv(samplePoll(await loadVoterTruth(pool, id), 1000, 9).rows));
    } finally {
      await pool.end();
    }
  }, 180_000);

  afterAll(async () => {
    await database?.end();
    await context?.dispose();
  });

  it('should train from a poll and end stdout with the evaluation as one JSON line', () => {
    const trained = cli('segments', 'train', '--poll', pollPath, '--alliance', 'california', '--seed', '3');
    expect(trained.status).toBe(0);
    const result = lastJsonLine(trained.stdout);
    expect(result).toEqual({
      modelId: expect.any(String),
      version: 1,
      status: 'ready',
      matched: 1000,
      unmatched: 0,
      inactive: 0,
      cvAccuracy: expect.any(Number),
      macroF1: expect.any(Number),
      logLoss: expect.any(Number),
      baselineAccuracy: expect.any(Number),
      rulesAccuracy: null,
      seconds: expect.any(Number),
    });
    expect(result.cvAccuracy as number).toBeGreaterThan(result.baselineAccuracy as number);
  });

  it('should apply a model to every active voter, and export voter_id,segment,probability with no JSON line', async () => {
    const { rows } = await database.query<{ id: string }>(`SELECT id FROM segment_model WHERE status = 'ready' ORDER BY version DESC LIMIT 1`);
    const applied = cli('segments', 'apply', '--model', rows[0].id);
    expect(applied.status).toBe(0);
    const result = lastJsonLine(applied.stdout);
    expect(result).toMatchObject({ modelId: rows[0].id, status: 'succeeded', voters: activeVoters, seconds: expect.any(Number) });
    const distribution = result.distribution as Record<string, number>;
    expect(Object.keys(distribution).sort()).toEqual(['aspiring_poc', 'balanced_suburbans', 'other', 'pro_tax_base']);
    expect(Object.values(distribution).reduce((sum, each) => sum + each, 0)).toBe(activeVoters);

    const exported = cli('segments', 'export', '--model', rows[0].id);
    expect(exported.status).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('voter_id,segment,probability');
    expect(lines).toHaveLength(activeVoters + 1);
    expect(lines[1]).toMatch(/^[^,]+,(pro_tax_base|aspiring_poc|balanced_suburbans|other),0\.\d{4}$/);
  });

  it.each([
    ['no such file', ['--poll', '/nonexistent/poll.csv'], 'no such file'],
    ['a poll naming an unknown segment', ['--poll', 'BAD'], 'segment(s) the taxonomy does not have'],
    ['folds that are not a number', ['--folds', 'five'], '--folds must be a whole number'],
  ])('should refuse %s with exit code 2 and a message, creating nothing', async (_label, args, message) => {
    const bad = join(context.temporaryDirectory, 'bad-poll.csv');
    writeFileSync(bad, 'voter_id,segment\nX1,progressive_left\n');
    const before = (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment_model`)).rows[0].n;
    const withPoll = args.includes('--poll') ? args.map((arg) => (arg === 'BAD' ? bad : arg)) : ['--poll', pollPath, ...args];
    const refused = cli('segments', 'train', ...withPoll);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(message);
    expect((await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment_model`)).rows[0].n).toBe(before);
  });

  it('should refuse to apply a model that does not exist', () => {
    const refused = cli('segments', 'apply', '--model', '00000000-0000-0000-0000-000000000000');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('no such model');
  });
});
