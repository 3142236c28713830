import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { isolatedProcessEnvironment, loadAppConfig } from '@app/config';
import { findFreePort, RedisUnavailableError, resolveServiceEndpoints, startLocalRedis } from '@app/runtime';
import { waitUntil } from '@app/testing';
import { DATABASE_MIGRATIONS } from '@app/database';
import { isProcessAlive } from '../libs/runtime/src/process-alive.util';

jest.setTimeout(180_000);

describe('the embedded default', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'crossroads-embedded-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('should start a real PostgreSQL when DATABASE_URL is unset, let a second process reuse it, and stop it on SIGTERM', async () => {
    const port = await findFreePort();
    const environment = isolatedProcessEnvironment({ DATA_DIR: directory, REDIS_URL: loadAppConfig().redis.url });
    // Migrating first, as an operator must: the api runs as a role the migrations create. The
    // cli starts the embedded cluster for the command and stops it when done.
    const migrated = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'db', 'migrate'], { env: environment, encoding: 'utf8' });
    expect(migrated.status).toBe(0);
    // The built api, as an operator runs it: no DATABASE_URL, its own data directory.
    const api = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
      env: isolatedProcessEnvironment({ DATA_DIR: directory, API_PORT: String(port), REDIS_URL: loadAppConfig().redis.url }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    api.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => api.on('exit', (code) => resolveExit(code)));
    try {
      await waitUntil(
        async () =>
          (await fetch(`http://127.0.0.1:${port}/health`).then(
            (response) => response.status,
            () => 0,
          )) === 200
            ? true
            : undefined,
        'the api on the embedded database',
        120_000,
      );
      expect(stderr).toMatch(/embedded PostgreSQL listening on 127\.0\.0\.1:\d+/);
      expect(existsSync(join(directory, 'postgres', 'PG_VERSION'))).toBe(true);
      const postmasterPid = Number(readFileSync(join(directory, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

      // A second process on the same data directory reuses the running cluster.
      const status = spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'db', 'status'], { env: environment, encoding: 'utf8' });
      expect(status.status).toBe(0);
      expect(status.stderr).toContain('reusing embedded PostgreSQL');
      expect(JSON.parse(status.stdout.trim().split('\n').pop()!)).toMatchObject({ applied: DATABASE_MIGRATIONS.map(({ name }) => name), pending: [] });
      expect(isProcessAlive(postmasterPid)).toBe(true);

      api.kill('SIGTERM');
      expect(await exited).toBe(0);
      // No orphan: the cluster the api started is gone with it.
      await waitUntil(async () => (isProcessAlive(postmasterPid) ? undefined : true), 'postgres to stop', 20_000);
    } finally {
      if (api.exitCode === null) api.kill('SIGKILL');
    }
  });

  it('should use the given URLs as they are when DATABASE_URL and REDIS_URL are set', async () => {
    const given = loadAppConfig();
    const config = loadAppConfig({ DATA_DIR: directory, DATABASE_URL: given.database.url, REDIS_URL: given.redis.url });
    const services = await resolveServiceEndpoints(config, { log: () => undefined });
    expect(services.endpoints).toEqual({ databaseUrl: given.database.url, redisUrl: given.redis.url });
    expect(services.started).toEqual({ postgres: false, redis: false });
    expect(existsSync(join(directory, 'postgres'))).toBe(false);
    await services.stop();
  });

  it('should refuse with install advice when there is no redis-server on PATH and nothing answers', async () => {
    const attempt = startLocalRedis({
      directory: join(directory, 'redis'),
      preferDefaultPort: false,
      executable: join(directory, 'no-such-redis-server'),
      log: () => undefined,
    });
    await expect(attempt).rejects.toThrow(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/apt-get install redis-server[\s\S]*REDIS_URL=redis:\/\/host:6379/);
  });

  it('should start redis-server from PATH under the data directory and stop it, or say how to get Redis', async () => {
    const options = { directory: join(directory, 'redis'), preferDefaultPort: false, log: () => undefined };
    if (spawnSync('redis-server', ['--version']).error !== undefined) {
      // This machine has no redis-server: the runner must refuse with the install advice.
      await expect(startLocalRedis(options)).rejects.toThrow(RedisUnavailableError);
      return;
    }
    const redis = await startLocalRedis(options);
    expect(redis.startedHere).toBe(true);
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
    const pid = Number(readFileSync(join(directory, 'redis', 'redis.pid'), 'utf8'));
    await redis.stop();
    expect(isProcessAlive(pid)).toBe(false);
  });
});
