import { ConfigValidationError } from './config-validation.error';
import { loadAppConfig } from './load-app-config.util';
import { childProcessEnvironment } from './process-environment.util';
import { hashTagOf } from './redis-cluster-nodes.util';

function invalidVariables(source: Record<string, string>): Record<string, string> {
  try {
    loadAppConfig(source);
  } catch (error) {
    if (error instanceof ConfigValidationError) return Object.fromEntries(error.invalidVariables.map((variable) => [variable.name, variable.expected]));
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadAppConfig', () => {
  it('should apply documented defaults when nothing is set', () => {
    const config = loadAppConfig({});
    expect(config.database.url).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.api.port).toBe(3000);
    expect(config.queue.prefix).toBe('crossroads');
    expect(config.dataDirectory).toMatch(/\.data$/);
  });

  it('should convert numbers and keep given URLs', () => {
    const config = loadAppConfig({ API_PORT: '8080', DATABASE_URL: 'postgres://u:p@db:5432/x', REDIS_URL: 'redis://cache:6379' });
    expect(config.api.port).toBe(8080);
    expect(config.database.url).toBe('postgres://u:p@db:5432/x');
    expect(config.redis.url).toBe('redis://cache:6379');
  });

  it('should name every invalid variable and what it expects', () => {
    let thrown: unknown;
    try {
      loadAppConfig({ API_PORT: 'eighty', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'loud', TWILIO_ACCOUNT_SID: 'XX123' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigValidationError);
    const error = thrown as ConfigValidationError;
    expect(error.invalidVariables.map((variable) => variable.name).sort()).toEqual(['API_PORT', 'DATABASE_URL', 'LOG_LEVEL', 'TWILIO_ACCOUNT_SID']);
    expect(error.message).toContain('API_PORT: expected a TCP port between 0 and 65535');
    expect(error.message).toContain('DATABASE_URL: expected a PostgreSQL URL');
    expect(error.message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent');
  });

  it('should last sessions 12 hours with cookies marked Secure only behind https, and refuse a session length out of range', () => {
    expect(loadAppConfig({}).sessions).toEqual({ hours: 12, secureCookies: false });
    expect(loadAppConfig({ SESSION_HOURS: '8', PUBLIC_BASE_URL: 'https://crossroads.example.org' }).sessions).toEqual({ hours: 8, secureCookies: true });
    expect(loadAppConfig({ PUBLIC_BASE_URL: 'http://10.0.0.5:3000' }).sessions.secureCookies).toBe(false);
    expect(() => loadAppConfig({ SESSION_HOURS: '0' })).toThrow('SESSION_HOURS: expected a whole number of hours between 1 and 720');
    expect(() => loadAppConfig({ SESSION_HOURS: 'forever' })).toThrow('SESSION_HOURS');
  });

  it('should treat an empty URL as unset so the embedded default applies', () => {
    const config = loadAppConfig({ DATABASE_URL: '', REDIS_URL: ' ', PUBLIC_BASE_URL: '' });
    expect(config.database.url).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.api.publicBaseUrl).toBeUndefined();
  });

  it.each(['', '0x50', '1e1', '80.5', '-1'])('should reject API_PORT=%p rather than guess a number', (value) => {
    expect(() => loadAppConfig({ API_PORT: value })).toThrow('API_PORT: expected a TCP port between 0 and 65535');
  });

  describe('on a Redis Cluster (REDIS_CLUSTER_NODES)', () => {
    it('should keep one Redis and the untagged prefix when it is unset or empty', () => {
      expect(loadAppConfig({}).redis.clusterNodes).toBeNull();
      expect(loadAppConfig({ REDIS_CLUSTER_NODES: ' ' }).redis.clusterNodes).toBeNull();
      expect(loadAppConfig({ REDIS_CLUSTER_NODES: '' }).queue.prefix).toBe('crossroads');
    });

    it('should read the seed nodes, need no REDIS_URL and default to the hash-tagged prefix {crossroads}', () => {
      const config = loadAppConfig({ REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.6:7001,[::1]:7002' });
      expect(config.redis.clusterNodes).toEqual([
        { host: 'redis-1', port: 7000 },
        { host: '10.0.0.6', port: 7001 },
        { host: '::1', port: 7002 },
      ]);
      expect(config.redis.url).toBeUndefined();
      expect(config.queue.prefix).toBe('{crossroads}');
      expect(loadAppConfig({ REDIS_CLUSTER_NODES: 'redis-1:7000', QUEUE_PREFIX: 'crossroads:{dialer}' }).queue.prefix).toBe('crossroads:{dialer}');
    });

    it.each([
      'redis-1',
      'redis-1:0',
      'redis-1:65536',
      'redis-1:7000,',
      'redis-1:7000;redis-2:7000',
      'redis://redis-1:7000',
      '::1:7000',
      'a_b:7000',
      'redis-1:7000,REDIS-1:7000',
    ])('should refuse REDIS_CLUSTER_NODES=%p naming the variable', (value) => {
      expect(invalidVariables({ REDIS_CLUSTER_NODES: value })).toEqual({
        REDIS_CLUSTER_NODES: expect.stringContaining('expected comma-separated host:port seed nodes of a Redis Cluster') as string,
      });
    });

    it.each(['crossroads', 'crossroads{}', '{}{dialer}', 'crossroads{dialer', 'dialer}'])('should refuse the untagged QUEUE_PREFIX=%p, naming it', (prefix) => {
      const problems = invalidVariables({ REDIS_CLUSTER_NODES: 'redis-1:7000', QUEUE_PREFIX: prefix });
      expect(Object.keys(problems)).toEqual(['QUEUE_PREFIX']);
      expect(problems.QUEUE_PREFIX).toContain(`expected a hash tag such as {crossroads} when REDIS_CLUSTER_NODES is set, got "${prefix}"`);
    });

    it('should refuse REDIS_URL and REDIS_CLUSTER_NODES together', () => {
      expect(invalidVariables({ REDIS_CLUSTER_NODES: 'redis-1:7000', REDIS_URL: 'redis://cache:6379' })).toEqual({
        REDIS_URL: 'expected to be unset when REDIS_CLUSTER_NODES is set (one Redis or one Redis Cluster, not both)',
      });
    });

    it('should find the hash tag Redis hashes by: the first {…} that is not empty', () => {
      expect(hashTagOf('{crossroads}')).toBe('crossroads');
      expect(hashTagOf('app:{dialer}:{x}')).toBe('dialer');
      expect(hashTagOf('{}{dialer}')).toBeUndefined();
      expect(hashTagOf('crossroads')).toBeUndefined();
    });

    it('should hand a child process the cluster and blank REDIS_URL, or the reverse', () => {
      const clustered = childProcessEnvironment({
        databaseUrl: 'postgres://db/x',
        redisUrl: 'redis://[::1]:7000',
        redisClusterNodes: [{ host: '::1', port: 7000 }],
      });
      expect(clustered).toMatchObject({ REDIS_URL: '', REDIS_CLUSTER_NODES: '[::1]:7000' });
      expect(loadAppConfig({ REDIS_URL: clustered.REDIS_URL, REDIS_CLUSTER_NODES: clustered.REDIS_CLUSTER_NODES }).redis.clusterNodes).toEqual([
        { host: '::1', port: 7000 },
      ]);
      expect(childProcessEnvironment({ databaseUrl: 'postgres://db/x', redisUrl: 'redis://cache:6379' })).toMatchObject({
        REDIS_URL: 'redis://cache:6379',
        REDIS_CLUSTER_NODES: '',
      });
    });
  });
});
