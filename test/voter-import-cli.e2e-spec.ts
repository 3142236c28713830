import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { isolatedProcessEnvironment } from '@app/config';
import { createTestContext, type TestContext, waitUntil } from '@app/testing';

describe('voters import (the cli, a real process)', () => {
  let context: TestContext;
  let database: Client;

  beforeAll(async () => {
    context = await createTestContext();
    database = new Client({ connectionString: context.config.database.url });
    await database.connect();
    expect(cli('seed', 'demo').status).toBe(0);
  });

  afterAll(async () => {
    await database.end();
    await context.dispose();
  });

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

  /** A generated ncvoter file written straight to disk by the CLI itself. */
  const generated = (name: string, rows: number, seed: number): string => {
    const path = join(context.temporaryDirectory, name);
    const output = openSync(path, 'w');
    try {
      const result = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'voters', 'generate', '--rows', String(rows), '--seed', String(seed)], {
        env: isolatedProcessEnvironment({}),
        stdio: ['ignore', output, 'inherit'],
        timeout: 120_000,
      });
      expect(result.status).toBe(0);
    } finally {
      closeSync(output);
    }
    return path;
  };

  const allianceId = async (slug: string): Promise<string> =>
    (await database.query<{ id: string }>('SELECT id FROM alliance WHERE slug = $1', [slug])).rows[0].id;
  const snapshot = async (slug: string): Promise<string> => {
    const { rows } = await database.query<{ count: number; digest: string | null }>(
      `SELECT count(*)::int AS count, md5(string_agg(v::text, '|' ORDER BY v.id)) AS digest FROM voter v WHERE alliance_id = $1`,
      [await allianceId(slug)],
    );
    return `${rows[0].count}:${rows[0].digest ?? ''}`;
  };

  it('should import, end stdout with one JSON line of counts and exit 0; a second run changes nothing', async () => {
    const file = generated('first.txt', 2_000, 1);
    const first = cli('voters', 'import', file, '--alliance', 'california');
    expect(first.status).toBe(0);
    expect(lastJsonLine(first.stdout)).toMatchObject({ status: 'succeeded', rows: 2000, inserted: 2000, updated: 0, unchanged: 0, rejected: 0 });
    expect(Object.keys(lastJsonLine(first.stdout))).toEqual(
      expect.arrayContaining(['importId', 'rows', 'inserted', 'updated', 'unchanged', 'rejected', 'seconds']),
    );
    const before = await snapshot('california');

    const second = cli('voters', 'import', file);
    expect(second.status).toBe(0);
    expect(lastJsonLine(second.stdout)).toMatchObject({ rows: 2000, inserted: 0, updated: 0, unchanged: 2000 });
    expect(await snapshot('california')).toBe(before);
  });

  it.each([
    [['voters', 'import', '/no/such/file.txt'], '/no/such/file.txt: no such file'],
    [['voters', 'import', 'package.json', '--format', 'texas'], '--format texas: the formats are ncvoter, ncvhis, ohio, california, generic'],
    [
      ['voters', 'import', 'package.json', '--max-error-rate', 'lots'],
      '--max-error-rate must be a share between 0 and 1 (such as 0.01) or a percentage (such as 1%), got "lots"',
    ],
    [['voters', 'import', 'package.json', '--alliance', 'atlantis'], 'There is no alliance "atlantis"; known alliances: california'],
  ])('should exit 2 naming what is wrong with %j, and change nothing', async (args, message) => {
    const before = await snapshot('california');
    const result = cli(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await snapshot('california')).toBe(before);
  });

  it('should exit 2 for a file missing required columns, naming them, with the JSON line saying rejected', async () => {
    const path = join(context.temporaryDirectory, 'no-ncid.txt');
    writeFileSync(path, 'county_desc\tvoter_reg_num\tfirst_name\nWAKE\t1\tANA\n');
    const before = await snapshot('california');

    const result = cli('voters', 'import', path, '--format', 'ncvoter');

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'The ncvoter file is missing the column(s) ncid, last_name; a ncvoter file needs at least ncid, last_name, first_name, county_desc',
    );
    expect(lastJsonLine(result.stdout)).toMatchObject({ status: 'rejected', inserted: 0 });
    expect(await snapshot('california')).toBe(before);
  });

  describe('killed in the middle of its merge', () => {
    // Real imports of 150,000–200,000 rows in child processes: a limit against a hang, not a speed
    // goal (bench/voter-import has those), with room for a CI machine busy with other suites.
    const HEAVY_MS = 240_000;
    const startImport = (file: string, slug: string): ChildProcess =>
      spawn(process.execPath, ['dist/apps/cli/src/main.js', 'voters', 'import', file, '--alliance', slug], { env: environment(), stdio: 'ignore' });

    const killWhenMerging = async (child: ChildProcess, slug: string): Promise<string> => {
      const alliance = await allianceId(slug);
      const importId = await waitUntil(
        async () =>
          (await database.query<{ id: string }>(`SELECT id FROM voter_import WHERE alliance_id = $1 AND phase = 'merging' AND status = 'running'`, [alliance]))
            .rows[0]?.id,
        'the import to reach its merge',
        HEAVY_MS,
      );
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      return importId;
    };

    it(
      'should leave an alliance with voters exactly as it was, and the import marked failed',
      async () => {
        const original = generated('original.txt', 150_000, 7);
        expect(cli('voters', 'import', original, '--alliance', 'california').status).toBe(0);
        const before = await snapshot('california');
        const changed = generated('changed.txt', 200_000, 8);

        const importId = await killWhenMerging(startImport(changed, 'california'), 'california');

        expect(await snapshot('california')).toBe(before);
        // The next look at imports notices the dead process and says what happened.
        const next = cli('voters', 'import', join(context.temporaryDirectory, 'no-ncid.txt'), '--format', 'ncvoter');
        expect(next.status).toBe(2);
        const { rows } = await database.query<{ status: string; error_message: string }>('SELECT status, error_message FROM voter_import WHERE id = $1', [
          importId,
        ]);
        expect(rows[0]).toEqual({
          status: 'failed',
          error_message: 'The import stopped before it finished (its process ended); the voter file was left exactly as before. Run the import again.',
        });
        expect(await snapshot('california')).toBe(before);
      },
      HEAVY_MS,
    );

    it(
      "should leave no trace of an alliance's first import",
      async () => {
        expect(cli('db', 'status').status).toBe(0);
        await database.query(`INSERT INTO alliance (slug, name) VALUES ('fresh', 'Fresh Alliance')`);
        const file = generated('fresh.txt', 200_000, 9);

        await killWhenMerging(startImport(file, 'fresh'), 'fresh');

        expect(await snapshot('fresh')).toBe('0:');
        const partition = `voter_p_${(await allianceId('fresh')).replace(/-/g, '')}`;
        expect((await database.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [partition])).rows[0].exists).toBe(false);
        // And the alliance imports normally afterwards.
        const retry = cli('voters', 'import', file, '--alliance', 'fresh');
        expect(lastJsonLine(retry.stdout)).toMatchObject({ status: 'succeeded', inserted: 200_000 });
      },
      HEAVY_MS,
    );
  });
});
