import { join } from 'node:path';
import { type AppConfig, clusterRedisEndpoints, type ServiceEndpoints } from '@app/config';
import { startEmbeddedPostgres } from './embedded-postgres.runner';
import { startLocalRedis } from './local-redis.runner';
import type { LocalService } from './local-service';

export const DEFAULT_DATABASE_NAME = 'crossroads';

export interface ResolvedServices {
  readonly endpoints: ServiceEndpoints;
  /** True for each server this process started (rather than found running or was given). */
  readonly started: { readonly postgres: boolean; readonly redis: boolean };
  /** Stops the local servers no other process still uses (Redis first, then PostgreSQL); given URLs are left alone. */
  stop(): Promise<void>;
}

export interface ResolveOptions {
  readonly databaseName?: string;
  readonly durability?: 'durable' | 'throwaway';
  readonly log?: (line: string) => void;
}

/**
 * Applies the embedded default: a set URL is used as given; an unset DATABASE_URL starts (or
 * reuses) PostgreSQL under `<DATA_DIR>/postgres`; an unset REDIS_URL uses 127.0.0.1:6379 or
 * starts (or reuses) `redis-server` under `<DATA_DIR>/redis`. A Redis Cluster (REDIS_CLUSTER_NODES)
 * is always given: nothing local is started or probed for it.
 */
export async function resolveServiceEndpoints(config: AppConfig, options: ResolveOptions = {}): Promise<ResolvedServices> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const given = (url: string): LocalService => ({ url, startedHere: false, stop: async () => undefined });

  const postgres = config.database.url
    ? given(config.database.url)
    : await startEmbeddedPostgres({
        directory: join(config.dataDirectory, 'postgres'),
        databaseName: options.databaseName ?? DEFAULT_DATABASE_NAME,
        durability: options.durability ?? 'durable',
        log,
      });
  const cluster = config.redis.clusterNodes === null ? undefined : clusterRedisEndpoints(config.redis.clusterNodes);
  let redis: LocalService;
  try {
    if (cluster !== undefined) redis = given(cluster.redisUrl);
    else if (config.redis.url) redis = given(config.redis.url);
    else redis = await startLocalRedis({ directory: join(config.dataDirectory, 'redis'), preferDefaultPort: true, log });
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return {
    endpoints: cluster === undefined ? { databaseUrl: postgres.url, redisUrl: redis.url } : { databaseUrl: postgres.url, ...cluster },
    started: { postgres: postgres.startedHere, redis: redis.startedHere },
    stop: async () => {
      await redis.stop();
      await postgres.stop();
    },
  };
}
