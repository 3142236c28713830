import Redis, { Cluster } from 'ioredis';
import { createRedisConnection, QUEUE_CONNECTION_OPTIONS } from './redis-connection.factory';

describe('createRedisConnection', () => {
  it('should open a plain Redis at the URL when no cluster nodes are given', () => {
    for (const target of ['redis://cache:6380/2', { redisUrl: 'redis://cache:6380/2' }, { redisUrl: 'redis://cache:6380/2', redisClusterNodes: [] }]) {
      const connection = createRedisConnection(target, { ...QUEUE_CONNECTION_OPTIONS, lazyConnect: true });
      expect(connection).toBeInstanceOf(Redis);
      expect(connection).not.toBeInstanceOf(Cluster);
      expect((connection as Redis).options).toMatchObject({ host: 'cache', port: 6380, db: 2, maxRetriesPerRequest: null });
      connection.disconnect();
    }
  });

  it('should open a Cluster from the seed nodes, with node options on every node and the rest on the cluster', () => {
    const connection = createRedisConnection(
      {
        redisUrl: 'redis://ignored:1',
        redisClusterNodes: [
          { host: '127.0.0.1', port: 7000 },
          { host: '127.0.0.1', port: 7001 },
        ],
      },
      { ...QUEUE_CONNECTION_OPTIONS, lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1234 },
    );
    expect(connection).toBeInstanceOf(Cluster);
    const cluster = connection as Cluster;
    expect((cluster as unknown as { startupNodes: unknown }).startupNodes).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: '127.0.0.1', port: 7001 },
    ]);
    expect(cluster.options).toMatchObject({ lazyConnect: true, enableOfflineQueue: false, clusterRetryStrategy: QUEUE_CONNECTION_OPTIONS.retryStrategy });
    // BullMQ reads maxRetriesPerRequest of a cluster from its node options, and refuses a blocking connection without null.
    expect(cluster.options.redisOptions).toEqual({ maxRetriesPerRequest: null, connectTimeout: 1234 });
    cluster.disconnect();
  });
});
