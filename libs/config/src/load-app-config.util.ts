import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { AppConfig } from './app-config';
import { ConfigValidationError } from './config-validation.error';
import { EnvironmentVariablesDto } from './environment-variables.dto';

export type EnvironmentSource = Readonly<Record<string, string | undefined>>;

/** Validates the environment once and maps it to the typed `AppConfig`; throws naming every bad variable. */
export function loadAppConfig(source: EnvironmentSource = process.env): AppConfig {
  const variables = plainToInstance(EnvironmentVariablesDto, { ...source });
  const errors = validateSync(variables, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(
      errors.map((error) => ({
        name: error.property,
        expected: Object.values(error.constraints ?? {})[0] ?? 'a valid value',
      })),
    );
  }
  return {
    environment: variables.NODE_ENV,
    log: { level: variables.LOG_LEVEL },
    database: { url: variables.DATABASE_URL, poolSize: variables.DATABASE_POOL_SIZE },
    redis: { url: variables.REDIS_URL },
    queue: { prefix: variables.QUEUE_PREFIX, concurrency: variables.WORKER_CONCURRENCY },
    dataDirectory: resolve(variables.DATA_DIR),
    voterFiles: {
      uploadDirectory: resolve(variables.UPLOAD_DIR ?? join(variables.DATA_DIR, 'uploads')),
      maxUploadBytes: variables.MAX_UPLOAD_BYTES,
      // One per core, up to four: beyond that the database's COPY is the bottleneck.
      importThreads: variables.IMPORT_THREADS ?? Math.min(availableParallelism(), 4),
    },
    consoleDirectory: resolve(variables.CONSOLE_DIR),
    api: { host: variables.API_HOST, port: variables.API_PORT, publicBaseUrl: variables.PUBLIC_BASE_URL },
    carrierSimulator: { port: variables.CARRIER_SIM_PORT },
    shutdownTimeoutMs: variables.SHUTDOWN_TIMEOUT_MS,
    sessions: { hours: variables.SESSION_HOURS, secureCookies: variables.PUBLIC_BASE_URL?.startsWith('https://') ?? false },
    demo: { password: variables.DEMO_PASSWORD },
    twilio: { accountSid: variables.TWILIO_ACCOUNT_SID, authToken: variables.TWILIO_AUTH_TOKEN },
  };
}

/** The start-up gate of every process: a bad environment stops it with exit code 1 and a readable list. */
export function loadAppConfigOrExit(source: EnvironmentSource = process.env): AppConfig {
  try {
    return loadAppConfig(source);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
