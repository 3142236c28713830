import type { ServiceEndpoints } from './service-endpoints';

/**
 * The environment handed to a child process we start (api, workers under the demo), with the
 * endpoints this process resolved, so children reuse them instead of starting their own.
 */
export function childProcessEnvironment(endpoints: ServiceEndpoints, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: endpoints.databaseUrl, REDIS_URL: endpoints.redisUrl, ...overrides };
}

/** Used by the jest global set-up to hand the endpoints it resolved to every test worker. */
export function publishEndpointsToEnvironment(endpoints: ServiceEndpoints): void {
  process.env.DATABASE_URL = endpoints.databaseUrl;
  process.env.REDIS_URL = endpoints.redisUrl;
}
