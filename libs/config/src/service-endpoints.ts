import type { RedisNodeAddress } from './redis-cluster-nodes.util';

/**
 * Where this process actually reaches PostgreSQL and Redis, after the embedded default has
 * been applied. A DI token next to `AppConfig`, because the URLs may only be known at run time.
 */
export abstract class ServiceEndpoints {
  abstract readonly databaseUrl: string;
  /** One Redis; on a cluster, its first seed node, for messages only (see `redisClusterNodes`). */
  abstract readonly redisUrl: string;
  /**
   * Set when Redis is a cluster (REDIS_CLUSTER_NODES): its seed nodes. Connections are then made
   * only through `createRedisConnection` (libs/queue), which opens an ioredis Cluster from them.
   */
  abstract readonly redisClusterNodes?: readonly RedisNodeAddress[];
}
