import { spawnSync } from 'node:child_process';

// Runs the built entry points (npm test builds first) exactly as an operator would.
describe('start-up with a bad environment', () => {
  it.each(['api', 'dialer-worker', 'sms-worker', 'import-worker'])('should stop %s with exit code 1 naming each bad variable', (app) => {
    const result = spawnSync(process.execPath, [`dist/apps/${app}/src/main.js`], {
      env: { PATH: '', API_PORT: '99999', REDIS_URL: 'http://not-redis', QUEUE_PREFIX: 'has spaces' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('3 environment variable(s) need fixing');
    expect(result.stderr).toContain('API_PORT: expected a TCP port between 0 and 65535');
    expect(result.stderr).toContain('REDIS_URL: expected a Redis URL');
    expect(result.stderr).toContain('QUEUE_PREFIX: expected 1-64 letters');
  });

  it('should make the cli exit 1 too, before touching any database', () => {
    const result = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'db', 'migrate'], {
      env: { PATH: '', DATABASE_URL: 'not-a-url' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL: expected a PostgreSQL URL');
  });
});
