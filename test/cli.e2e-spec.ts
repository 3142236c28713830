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

  describe('voters generate', () => {
    const generate = (...args: string[]) =>
      spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'voters', 'generate', ...args], {
        env: isolatedProcessEnvironment({}),
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });

    it('should stream the same file for the same seed, header first', () => {
      const first = generate('--rows', '3000', '--seed', '5');
      const second = generate('--rows', '3000', '--seed', '5');
      expect(first.status).toBe(0);
      expect(first.stdout.equals(second.stdout)).toBe(true);
      const lines = first.stdout.toString('utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(3001);
      expect(lines[0].split('\t').slice(0, 4)).toEqual(['county_id', 'county_desc', 'voter_reg_num', 'ncid']);
    });

    it('should write Latin-1 when asked', () => {
      const latin1 = generate('--rows', '3000', '--seed', '5', '--encoding', 'latin1').stdout;
      const utf8 = generate('--rows', '3000', '--seed', '5').stdout;
      expect(latin1.length).toBeLessThan(utf8.length); // each accented letter takes one byte instead of two
      expect(latin1.toString('latin1')).toBe(utf8.toString('utf8'));
    });

    it.each([
      ['ohio', 'SOS_VOTERID'],
      ['california', 'RegistrantID'],
    ])('should write a %s file with its own header', (format, keyColumn) => {
      const result = generate('--rows', '20', '--format', format, '--seed', '3');
      expect(result.status).toBe(0);
      const lines = result.stdout.toString('utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(21);
      expect(lines[0]).toContain(keyColumn);
    });

    it.each([
      [['--rows', '0'], '--rows must be a whole number from 1 to 50000000, got "0"'],
      [['--rows', 'lots'], '--rows must be a whole number from 1 to 50000000, got "lots"'],
      [['--rows', '10', '--format', 'texas'], '--format texas: the generator writes ncvoter, ohio, california'],
      [['--rows', '10', '--encoding', 'ebcdic'], '--encoding must be utf8 or latin1, got "ebcdic"'],
    ])('should exit 2 on %p naming the problem and write nothing', (args, message) => {
      const result = generate(...args);
      expect(result.status).toBe(2);
      expect(result.stderr.toString()).toContain(message);
      expect(result.stdout.length).toBe(0);
    });
  });
});
