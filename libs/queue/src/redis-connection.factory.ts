import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { ServiceEndpoints } from '@app/config';
import { redisOptionsFromUrl } from './redis-connection.util';

/** Where Redis is, as `ServiceEndpoints` says: one server's URL, plus seed nodes when it is a cluster. */
export type RedisTarget = Pick<ServiceEndpoints, 'redisUrl' | 'redisClusterNodes'>;

/** A plain connection or a cluster: the same commands, a cluster routing each key to the master that owns its slot. */
export type RedisConnection = Redis | Cluster;

/** The options of one connection, written as for a single server; where it is comes from the target. */
export type RedisConnectionOptions = Omit<RedisOptions, 'host' | 'port' | 'path' | 'db' | 'sentinels' | 'name' | 'keyPrefix'>;

/**
 * BullMQ's connection, shared by the queues and workers of a process (each worker duplicates it
 * for its blocking reads). Commands wait out a reconnect instead of failing: BullMQ requires
 * that of blocking connections, and a worker must outlive a Redis restart. The reconnection
 * curve (1 s up to 20 s) is the one BullMQ applied when it built its connections itself.
 */
export const QUEUE_CONNECTION_OPTIONS: RedisConnectionOptions = {
  maxRetriesPerRequest: null,
  retryStrategy: (attempt) => Math.max(Math.min(Math.exp(attempt), 20_000), 1000),
};

/** A connection for one question (is this worker alive?): it connects on demand and never retries. */
export const ONE_SHOT_CONNECTION_OPTIONS: RedisConnectionOptions = {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  connectTimeout: 2000,
  retryStrategy: () => null,
};

/**
 * The one way the platform connects to Redis: an ioredis `Cluster` when the target lists cluster
 * nodes, else a plain `Redis` at its URL. Options apply to every node's connection; the ones a
 * cluster keeps for itself (connecting lazily, queueing while offline, reconnecting once every
 * node is gone) are moved to the cluster.
 */
export function createRedisConnection(target: RedisTarget | string, options: RedisConnectionOptions = {}): RedisConnection {
  const { redisUrl, redisClusterNodes } = typeof target === 'string' ? { redisUrl: target, redisClusterNodes: undefined } : target;
  if (redisClusterNodes === undefined || redisClusterNodes.length === 0) {
    return new Redis({ ...redisOptionsFromUrl(redisUrl), ...options });
  }
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = options;
  return new Cluster(
    redisClusterNodes.map((node) => ({ host: node.host, port: node.port })),
    {
      lazyConnect,
      enableOfflineQueue,
      // ioredis's defaults apply where these are undefined.
      clusterRetryStrategy: retryStrategy,
      redisOptions: nodeOptions,
    },
  );
}

/** Each server holding part of the keyspace: every master of a cluster, or the one server. SCAN and KEYS see only their own server. */
export function keyspaceServers(connection: RedisConnection): Redis[] {
  return connection instanceof Cluster ? connection.nodes('master') : [connection];
}
