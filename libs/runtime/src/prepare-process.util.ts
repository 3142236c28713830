import { type AppConfig, loadAppConfigOrExit } from '@app/config';
import { RedisUnavailableError } from './local-redis.runner';
import { type ResolvedServices, resolveServiceEndpoints } from './service-endpoints.resolver';

/**
 * The first lines of every entry point: validate the environment (exit 1 naming each bad
 * variable), then apply the embedded default (exit 1 with install advice when Redis is missing).
 */
export async function prepareProcess(): Promise<{ config: AppConfig; services: ResolvedServices }> {
  const config = loadAppConfigOrExit();
  try {
    const services = await resolveServiceEndpoints(config);
    return { config, services };
  } catch (error) {
    process.stderr.write(`${error instanceof RedisUnavailableError ? error.message : `Could not reach PostgreSQL or Redis: ${String(error)}`}\n`);
    process.exit(1);
  }
}
