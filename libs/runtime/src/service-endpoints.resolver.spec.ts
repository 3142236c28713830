import { loadAppConfig } from '@app/config';
import { resolveServiceEndpoints } from './service-endpoints.resolver';

describe('resolveServiceEndpoints', () => {
  it('should use a Redis Cluster as given, with no local Redis started or found instead', async () => {
    const config = loadAppConfig({ DATABASE_URL: 'postgres://u:p@db.invalid:5432/x', REDIS_CLUSTER_NODES: 'redis-1.invalid:7000,redis-2.invalid:7001' });
    const services = await resolveServiceEndpoints(config, { log: () => undefined });
    // A local Redis would have put its own URL here (127.0.0.1:6379 answers on this machine) and no cluster nodes.
    expect(services.endpoints).toEqual({
      databaseUrl: 'postgres://u:p@db.invalid:5432/x',
      redisUrl: 'redis://redis-1.invalid:7000',
      redisClusterNodes: [
        { host: 'redis-1.invalid', port: 7000 },
        { host: 'redis-2.invalid', port: 7001 },
      ],
    });
    expect(services.started).toEqual({ postgres: false, redis: false });
    await services.stop();
  });
});
