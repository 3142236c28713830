import { spawnSync } from 'node:child_process';
import { isolatedProcessEnvironment } from '@app/config';
import { createTestContext, type TestContext } from '@app/testing';

describe('the cli', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext();
  });

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
    });
  const lastJsonLine = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').pop()!);

  it('should end stdout with one JSON line: nothing to apply on a migrated database', () => {
    const result = cli('db', 'migrate');
    expect(result.status).toBe(0);
    expect(lastJsonLine(result.stdout)).toEqual({ applied: [], appliedCount: 0 });
    expect(lastJsonLine(cli('db', 'status').stdout)).toMatchObject({ pending: [] });
  });

  it('should exit 2 naming the bad option, and change nothing', () => {
    const result = cli('db', 'revert', '--steps', 'zero');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--steps must be a whole number of at least 1, got "zero"');
    expect(lastJsonLine(cli('db', 'status').stdout)).toMatchObject({ pending: [] });
  });

  it('should exit 2 on an unknown command and say what exists', () => {
    const result = cli('voters', 'teleport');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command/i);
  });
});
