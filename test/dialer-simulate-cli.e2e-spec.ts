import { spawnSync } from 'node:child_process';

/** `dialer simulate` as an operator runs it: its own process, no database or Redis, one JSON line last on stdout. */
describe('dialer simulate (the cli, a real process)', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'dialer', 'simulate', ...args], { encoding: 'utf8', timeout: 120_000 });
  const lastJsonLine = (stdout: string): Record<string, number> => JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>;
  const BANK = [
    '--volunteers',
    '20',
    '--p-human',
    '0.12',
    '--p-machine',
    '0.25',
    '--p-fail',
    '0.15',
    '--talk-mean',
    '60',
    '--talk-sd',
    '45',
    '--wrap-mean',
    '15',
    '--wrap-sd',
    '10',
    '--cps',
    '5',
  ];

  it('should end stdout with the figures the issue names, in that order, and beat power dialing in predictive mode', () => {
    const predictive = cli('--mode', 'predictive', ...BANK, '--hours', '1', '--seed', '7');
    const power = cli('--mode', 'power', ...BANK, '--hours', '1', '--seed', '7');
    expect(predictive.status).toBe(0);
    expect(power.status).toBe(0);
    const figures = lastJsonLine(predictive.stdout);
    expect(Object.keys(figures).slice(0, 8)).toEqual([
      'conversationsPerVolunteerHour',
      'utilization',
      'abandonRate',
      'dials',
      'conversations',
      'wrongWindowDials',
      'shortRings',
      'oracleBound',
    ]);
    expect(figures.oracleBound).toBeCloseTo(48, 5);
    expect(figures).toMatchObject({ wrongWindowDials: 0, shortRings: 0 });
    expect(figures.abandonRate).toBeLessThanOrEqual(0.03);
    expect(figures.conversationsPerVolunteerHour).toBeGreaterThan(1.5 * lastJsonLine(power.stdout).conversationsPerVolunteerHour);
    expect(lastJsonLine(power.stdout).abandonRate).toBe(0);
    // The same seed, the same shift.
    expect(lastJsonLine(cli('--mode', 'predictive', ...BANK, '--hours', '1', '--seed', '7').stdout)).toEqual({ ...figures, seconds: expect.any(Number) });
    expect(predictive.stderr).toContain('conversations per volunteer-hour');
  });

  it.each([
    [['--mode', 'turbo', ...BANK, '--hours', '1'], '--mode'],
    [['--mode', 'power', ...BANK.map((value) => (value === '0.12' ? '1.5' : value)), '--hours', '1'], '--p-human'],
    [['--mode', 'power', ...BANK, '--hours', '-2'], '--hours'],
    [['--mode', 'power', ...BANK, '--hours', '1', '--seed', '1.5'], '--seed'],
  ])('should refuse %j with exit code 2 and a message naming %s', (args, flag) => {
    const result = cli(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(result.stdout).toBe('');
  });
});
