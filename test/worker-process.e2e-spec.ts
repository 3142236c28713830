import { spawn, spawnSync } from 'node:child_process';
import { isolatedProcessEnvironment } from '@app/config';
import { createTestContext, type TestContext, waitUntil } from '@app/testing';

// The built worker processes, as a container runs them: no HTTP server, a `health` command,
// and a graceful exit on SIGTERM.
describe.each(['dialer-worker', 'sms-worker', 'import-worker'])('the %s process', (worker) => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(() => context.dispose());

  const environment = (): NodeJS.ProcessEnv =>
    isolatedProcessEnvironment({
      DATABASE_URL: context.config.database.url,
      REDIS_URL: context.config.redis.url,
      QUEUE_PREFIX: context.config.queue.prefix,
      LOG_LEVEL: 'warn',
    });
  const health = () => spawnSync(process.execPath, [`dist/apps/${worker}/src/main.js`, 'health'], { env: environment(), encoding: 'utf8' });

  it('should report healthy while consuming, exit 0 on SIGTERM, then report unhealthy', async () => {
    expect(health().status).toBe(1);

    const child = spawn(process.execPath, [`dist/apps/${worker}/src/main.js`], { env: environment(), stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    try {
      const report = await waitUntil(async () => {
        const result = health();
        return result.status === 0 ? result.stdout : undefined;
      }, `${worker} to report healthy`);
      expect(JSON.parse(report)).toMatchObject({ worker, healthy: true, heartbeat: { state: 'running' } });

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(health().status).toBe(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
