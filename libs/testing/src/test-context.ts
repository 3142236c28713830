import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { type AppConfig, loadAppConfig, type ServiceEndpoints, testTemplateDatabase } from '@app/config';

export interface TestContext {
  /** The config a process would have, pointed at this file's own database and queue prefix. */
  readonly config: AppConfig;
  readonly endpoints: ServiceEndpoints;
  readonly databaseName: string;
  readonly temporaryDirectory: string;
  dispose(): Promise<void>;
}

/**
 * Gives one test file its own database (cloned from the migrated template, so it costs
 * milliseconds) and its own queue prefix, so files run in parallel without seeing each other.
 */
export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const base = loadAppConfig();
  if (!base.database.url || !base.redis.url) throw new Error('the jest global set-up did not publish DATABASE_URL and REDIS_URL');
  const suffix = randomBytes(6).toString('hex');
  const databaseName = `crossroads_test_${suffix}`;
  await withAdminClient(base.database.url, (client) => client.query(`CREATE DATABASE ${databaseName} TEMPLATE ${testTemplateDatabase()}`));
  const databaseUrl = new URL(base.database.url);
  databaseUrl.pathname = `/${databaseName}`;
  const temporaryDirectory = mkdtempSync(join(tmpdir(), 'crossroads-test-'));
  const config = loadAppConfig({
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: base.redis.url,
    QUEUE_PREFIX: `test-${suffix}`,
    DATA_DIR: temporaryDirectory,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    DATABASE_POOL_SIZE: '4',
    ...overrides,
  });
  const adminUrl = base.database.url;
  const redisUrl = base.redis.url;
  return {
    config,
    endpoints: { databaseUrl: databaseUrl.toString(), redisUrl: base.redis.url },
    databaseName,
    temporaryDirectory,
    dispose: async () => {
      await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
      await deleteRedisKeys(redisUrl, `${config.queue.prefix}:*`);
      rmSync(temporaryDirectory, { recursive: true, force: true });
    },
  };
}

export async function withAdminClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Removes a test file's queues (jobs, failed jobs, heartbeats) from a Redis other runs may share. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
