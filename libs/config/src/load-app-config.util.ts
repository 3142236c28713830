import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { AppConfig } from './app-config';
import { ConfigValidationError } from './config-validation.error';
import { DEFAULT_CLUSTER_QUEUE_PREFIX, DEFAULT_QUEUE_PREFIX, EnvironmentVariablesDto } from './environment-variables.dto';
import { hashTagOf, parseRedisClusterNodes, type RedisNodeAddress } from './redis-cluster-nodes.util';

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
  // Validated above: parsing again cannot fail.
  const clusterNodes = variables.REDIS_CLUSTER_NODES === undefined ? null : (parseRedisClusterNodes(variables.REDIS_CLUSTER_NODES) ?? null);
  const queuePrefix = variables.QUEUE_PREFIX ?? (clusterNodes === null ? DEFAULT_QUEUE_PREFIX : DEFAULT_CLUSTER_QUEUE_PREFIX);
  const combinationErrors = [
    ...incompleteGroups(variables, [
      ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
      ['TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET', 'TWILIO_TWIML_APP_SID'],
    ]),
    ...redisTopologyErrors(variables, clusterNodes, queuePrefix),
  ];
  if (combinationErrors.length > 0) throw new ConfigValidationError(combinationErrors);
  const carrierSimulatorUrl = (variables.CARRIER_SIM_URL ?? `http://127.0.0.1:${variables.CARRIER_SIM_PORT}`).replace(/\/+$/, '');
  const onTwilio = variables.TWILIO_ACCOUNT_SID !== undefined && variables.TWILIO_AUTH_TOKEN !== undefined;
  const apiHostForUrls = variables.API_HOST === '0.0.0.0' || variables.API_HOST === '::' ? '127.0.0.1' : variables.API_HOST;
  return {
    environment: variables.NODE_ENV,
    log: { level: variables.LOG_LEVEL },
    database: { url: variables.DATABASE_URL, poolSize: variables.DATABASE_POOL_SIZE },
    redis: { url: variables.REDIS_URL, clusterNodes },
    queue: { prefix: queuePrefix, concurrency: variables.WORKER_CONCURRENCY },
    dataDirectory: resolve(variables.DATA_DIR),
    voterFiles: {
      uploadDirectory: resolve(variables.UPLOAD_DIR ?? join(variables.DATA_DIR, 'uploads')),
      maxUploadBytes: variables.MAX_UPLOAD_BYTES,
      // One per core, up to four: beyond that the database's COPY is the bottleneck.
      importThreads: variables.IMPORT_THREADS ?? Math.min(availableParallelism(), 4),
    },
    consoleDirectory: resolve(variables.CONSOLE_DIR),
    api: { host: variables.API_HOST, port: variables.API_PORT, publicBaseUrl: variables.PUBLIC_BASE_URL },
    carrierSimulator: {
      port: variables.CARRIER_SIM_PORT,
      url: carrierSimulatorUrl,
      accountSid: variables.CARRIER_SIM_ACCOUNT_SID,
      authToken: variables.CARRIER_SIM_AUTH_TOKEN,
      callsPerSecond: variables.CARRIER_SIM_CALLS_PER_SECOND,
    },
    shutdownTimeoutMs: variables.SHUTDOWN_TIMEOUT_MS,
    sessions: { hours: variables.SESSION_HOURS, secureCookies: variables.PUBLIC_BASE_URL?.startsWith('https://') ?? false },
    demo: { password: variables.DEMO_PASSWORD },
    messaging: {
      senderMessagesPerSecond: variables.SMS_SENDER_MESSAGES_PER_SECOND,
      accountMessagesPerSecond: variables.SMS_ACCOUNT_MESSAGES_PER_SECOND,
      keywordReplies: variables.SMS_KEYWORD_REPLIES,
      helpReply: variables.SMS_HELP_REPLY,
      optOutReply: variables.SMS_OPT_OUT_REPLY,
      optInReply: variables.SMS_OPT_IN_REPLY,
    },
    telephony: {
      provider: onTwilio ? 'twilio' : 'carrier-sim',
      accountSid: onTwilio ? (variables.TWILIO_ACCOUNT_SID as string) : variables.CARRIER_SIM_ACCOUNT_SID,
      authToken: onTwilio ? (variables.TWILIO_AUTH_TOKEN as string) : variables.CARRIER_SIM_AUTH_TOKEN,
      apiBaseUrl: onTwilio ? undefined : carrierSimulatorUrl,
      webhookBaseUrl: (variables.PUBLIC_BASE_URL ?? `http://${apiHostForUrls}:${variables.API_PORT}`).replace(/\/+$/, ''),
      browserVoice:
        onTwilio && variables.TWILIO_API_KEY_SID !== undefined && variables.TWILIO_API_KEY_SECRET !== undefined && variables.TWILIO_TWIML_APP_SID !== undefined
          ? { apiKeySid: variables.TWILIO_API_KEY_SID, apiKeySecret: variables.TWILIO_API_KEY_SECRET, twimlAppSid: variables.TWILIO_TWIML_APP_SID }
          : undefined,
    },
  };
}

/** Variables that only work together: setting some of a group but not all is an error naming the missing ones. */
function incompleteGroups(
  variables: EnvironmentVariablesDto,
  groups: ReadonlyArray<ReadonlyArray<keyof EnvironmentVariablesDto>>,
): { name: string; expected: string }[] {
  const problems: { name: string; expected: string }[] = [];
  for (const group of groups) {
    const present = group.filter((name) => variables[name] !== undefined);
    if (present.length === 0 || present.length === group.length) continue;
    for (const missing of group.filter((name) => variables[name] === undefined)) {
      problems.push({ name: missing, expected: `to be set together with ${present.join(' and ')}` });
    }
  }
  return problems;
}

/**
 * A process talks to one Redis or to one cluster, never both. On a cluster the queue prefix must
 * carry a hash tag: BullMQ's scripts touch several keys of a queue at once, and Redis Cluster runs
 * a script only when all its keys hash to one slot (else CROSSSLOT, and nothing is enqueued).
 */
function redisTopologyErrors(
  variables: EnvironmentVariablesDto,
  clusterNodes: readonly RedisNodeAddress[] | null,
  queuePrefix: string,
): { name: string; expected: string }[] {
  if (clusterNodes === null) return [];
  const problems: { name: string; expected: string }[] = [];
  if (variables.REDIS_URL !== undefined) {
    problems.push({ name: 'REDIS_URL', expected: 'expected to be unset when REDIS_CLUSTER_NODES is set (one Redis or one Redis Cluster, not both)' });
  }
  if (hashTagOf(queuePrefix) === undefined) {
    problems.push({
      name: 'QUEUE_PREFIX',
      expected:
        `expected a hash tag such as ${DEFAULT_CLUSTER_QUEUE_PREFIX} when REDIS_CLUSTER_NODES is set, got "${queuePrefix}": ` +
        "BullMQ's scripts touch several keys of a queue at once, and on a Redis Cluster they must all hash to one slot",
    });
  }
  return problems;
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
