import { formatRedisClusterNodes } from './redis-cluster-nodes.util';
import type { ServiceEndpoints } from './service-endpoints';

/**
 * The environment handed to a child process we start (api, workers under the demo), with the
 * endpoints this process resolved, so children reuse them instead of starting their own.
 */
export function childProcessEnvironment(endpoints: ServiceEndpoints, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: endpoints.databaseUrl, ...redisVariables(endpoints), ...overrides };
}

/** Used by the jest global set-up to hand the endpoints it resolved to every test worker. */
export function publishEndpointsToEnvironment(endpoints: ServiceEndpoints): void {
  process.env.DATABASE_URL = endpoints.databaseUrl;
  for (const [name, value] of Object.entries(redisVariables(endpoints))) {
    if (value === '') delete process.env[name];
    else process.env[name] = value;
  }
}

/** One Redis or one cluster: the other variable is emptied, which reads as unset, so a child never sees both. */
function redisVariables(endpoints: ServiceEndpoints): { REDIS_URL: string; REDIS_CLUSTER_NODES: string } {
  return endpoints.redisClusterNodes?.length
    ? { REDIS_URL: '', REDIS_CLUSTER_NODES: formatRedisClusterNodes(endpoints.redisClusterNodes) }
    : { REDIS_URL: endpoints.redisUrl, REDIS_CLUSTER_NODES: '' };
}

/**
 * A clean environment for a child process under test: only PATH (so it finds node's helpers and
 * redis-server) plus the variables given, so nothing from the developer's shell leaks in.
 */
export function isolatedProcessEnvironment(variables: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...variables };
}
