import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type AppConfig, clusterRedisEndpoints, formatRedisClusterNodes, loadAppConfig, type ServiceEndpoints, testTemplateDatabase } from '@app/config';
import { createRedisConnection, keyspaceServers, type RedisTarget } from '@app/queue';

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
 * `REDIS_CLUSTER_NODES` among the overrides (e.g. a `RedisClusterFixture`'s) puts the queues on that
 * cluster instead of the run's Redis, under a hash-tagged prefix.
 */
export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const base = loadAppConfig();
  if (!base.database.url || (!base.redis.url && !base.redis.clusterNodes)) {
    throw new Error('the jest global set-up did not publish DATABASE_URL and REDIS_URL');
  }
  const clusterNodes = overrides.REDIS_CLUSTER_NODES || (base.redis.clusterNodes ? formatRedisClusterNodes(base.redis.clusterNodes) : undefined);
  const redisVariables = clusterNodes ? { REDIS_CLUSTER_NODES: clusterNodes } : { REDIS_URL: base.redis.url };
  const suffix = randomBytes(6).toString('hex');
  const databaseName = `crossroads_test_${suffix}`;
  await withAdminClient(base.database.url, (client) => client.query(`CREATE DATABASE ${databaseName} TEMPLATE ${testTemplateDatabase()}`));
  const databaseUrl = new URL(base.database.url);
  databaseUrl.pathname = `/${databaseName}`;
  const temporaryDirectory = mkdtempSync(join(tmpdir(), 'crossroads-test-'));
  const config = loadAppConfig({
    DATABASE_URL: databaseUrl.toString(),
    ...redisVariables,
    QUEUE_PREFIX: clusterNodes ? `{test-${suffix}}` : `test-${suffix}`,
    DATA_DIR: temporaryDirectory,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    DATABASE_POOL_SIZE: '4',
    ...overrides,
  });
  const adminUrl = base.database.url;
  // Without cluster nodes, REDIS_URL was set above.
  const redis: RedisTarget = config.redis.clusterNodes ? clusterRedisEndpoints(config.redis.clusterNodes) : { redisUrl: config.redis.url! };
  return {
    config,
    endpoints: { databaseUrl: databaseUrl.toString(), ...redis },
    databaseName,
    temporaryDirectory,
    dispose: async () => {
      await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
      await deleteRedisKeys(redis, `${config.queue.prefix}:*`);
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

/**
 * Removes a test file's queues (jobs, failed jobs, heartbeats) from a Redis other runs may share.
 * SCAN walks one server, so on a cluster it runs on every master; keys are unlinked one per
 * command (pipelined), as a command naming several keys must keep to one slot there.
 */
export async function deleteRedisKeys(redis: RedisTarget | string, pattern: string): Promise<void> {
  const client = createRedisConnection(redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    for (const server of keyspaceServers(client)) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) {
          const results = (await server.pipeline(keys.map((key) => ['unlink', key])).exec()) ?? [];
          const failure = results.find(([error]) => error !== null)?.[0];
          if (failure) throw failure;
        }
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}
