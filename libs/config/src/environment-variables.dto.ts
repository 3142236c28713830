import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { parseRedisClusterNodes } from './redis-cluster-nodes.util';

export const NODE_ENVIRONMENTS = ['development', 'test', 'production'] as const;
/** The simulator is local and public by design: fixed, recognisable credentials keep demo setups copy-pasteable. */
export const CARRIER_SIMULATOR_DEFAULT_ACCOUNT_SID = 'AC5151000000000000000000000000c0de';
export const CARRIER_SIMULATOR_DEFAULT_AUTH_TOKEN = '5151000000000000000000000000c0de';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A whole number read from the environment's text, with one message for every way it can be wrong. */
function IntegerBetween(minimum: number, maximum: number, message: string): PropertyDecorator {
  return (target, property) => {
    // Digits only: Number() would read "" as 0, "0x50" as 80 and "1e1" as 10.
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value))(target, property);
    IsInt({ message })(target, property);
    Min(minimum, { message })(target, property);
    Max(maximum, { message })(target, property);
  };
}

/** Comma-separated `host:port` seed nodes of a Redis Cluster (see `parseRedisClusterNodes`). */
function RedisNodeList(message: string): PropertyDecorator {
  return ValidateBy(
    { name: 'redisNodeList', validator: { validate: (value: unknown) => typeof value === 'string' && parseRedisClusterNodes(value) !== undefined } },
    { message },
  );
}

/** What QUEUE_PREFIX defaults to: unchanged for one Redis; hash-tagged on a cluster, where BullMQ needs one. */
export const DEFAULT_QUEUE_PREFIX = 'crossroads';
export const DEFAULT_CLUSTER_QUEUE_PREFIX = '{crossroads}';

const emptyToUndefined = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * Every environment variable Crossroads reads, with its rule. The `message` of each rule
 * says what is expected, because that text is what an operator sees when start-up refuses.
 */
export class EnvironmentVariablesDto {
  @IsOptional()
  @IsIn(NODE_ENVIRONMENTS, { message: `expected one of ${NODE_ENVIRONMENTS.join(', ')}` })
  NODE_ENV: (typeof NODE_ENVIRONMENTS)[number] = 'development';

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, {
    message: 'expected a PostgreSQL URL such as postgres://user:password@host:5432/crossroads, or unset for the embedded database',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IntegerBetween(1, 200, 'expected a whole number of connections between 1 and 200')
  DATABASE_POOL_SIZE = 10;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^rediss?:\/\/[^\s]+$/, {
    message: 'expected a Redis URL such as redis://127.0.0.1:6379, or unset to use or start a local Redis',
  })
  REDIS_URL?: string;

  /** Set, Crossroads talks to a Redis Cluster instead of REDIS_URL (and never starts a local Redis). */
  @IsOptional()
  @Transform(emptyToUndefined)
  @RedisNodeList(
    'expected comma-separated host:port seed nodes of a Redis Cluster (ports 1-65535, no repeats), such as 10.0.0.5:6379,10.0.0.6:6379, or unset for one Redis',
  )
  REDIS_CLUSTER_NODES?: string;

  /** Unset: DEFAULT_QUEUE_PREFIX, or DEFAULT_CLUSTER_QUEUE_PREFIX when REDIS_CLUSTER_NODES is set. */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[A-Za-z0-9_{}:-]{1,64}$/, {
    message: 'expected 1-64 letters, digits, _ - : or {} (use {name} to hash-tag for Redis Cluster)',
  })
  QUEUE_PREFIX?: string;

  @IsOptional()
  @IsString({ message: 'expected a directory path' })
  @MinLength(1, { message: 'expected a directory path' })
  DATA_DIR = '.data';

  @IsOptional()
  @IsString({ message: 'expected the directory holding the built web console' })
  @MinLength(1, { message: 'expected the directory holding the built web console' })
  CONSOLE_DIR = 'dist/console';

  @IsOptional()
  @IsString({ message: 'expected a host name or address to listen on' })
  @MinLength(1, { message: 'expected a host name or address to listen on' })
  API_HOST = '127.0.0.1';

  @IsOptional()
  @IntegerBetween(0, 65535, 'expected a TCP port between 0 and 65535')
  API_PORT = 3000;

  @IsOptional()
  @IntegerBetween(0, 65535, 'expected a TCP port between 0 and 65535')
  CARRIER_SIM_PORT = 3100;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'expected the public http(s) URL of the api, such as https://crossroads.example.org' })
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @IntegerBetween(1000, 120000, 'expected a number of milliseconds between 1000 and 120000')
  SHUTDOWN_TIMEOUT_MS = 15000;

  @IsOptional()
  @IntegerBetween(1, 500, 'expected a whole number of concurrent jobs between 1 and 500')
  WORKER_CONCURRENCY = 8;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString({ message: 'expected the directory uploaded voter files wait in until their import job runs' })
  UPLOAD_DIR?: string;

  @IsOptional()
  @IntegerBetween(1, 1_099_511_627_776, 'expected a number of bytes between 1 and 1099511627776 (1 TiB)')
  MAX_UPLOAD_BYTES = 21_474_836_480;

  @IsOptional()
  @IntegerBetween(0, 16, 'expected a whole number of threads between 0 (map on the main thread) and 16')
  IMPORT_THREADS?: number;

  @IsOptional()
  @IntegerBetween(1, 720, 'expected a whole number of hours between 1 and 720')
  SESSION_HOURS = 12;

  @IsOptional()
  @IsString({ message: 'expected the password given to every demo login' })
  @MinLength(8, { message: 'expected a password of at least 8 characters' })
  DEMO_PASSWORD = 'crossroads-demo';

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'expected a Twilio account SID: AC followed by 32 hex digits' })
  TWILIO_ACCOUNT_SID?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^[0-9a-fA-F]{32}$/, { message: 'expected a Twilio auth token: 32 hex digits' })
  TWILIO_AUTH_TOKEN?: string;

  /** The three below let volunteers call from the browser with Twilio's Voice JS SDK (real Twilio only). */
  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^SK[0-9a-fA-F]{32}$/, { message: 'expected a Twilio API key SID: SK followed by 32 hex digits' })
  TWILIO_API_KEY_SID?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @IsString({ message: 'expected the secret of the Twilio API key' })
  @MinLength(16, { message: 'expected the secret of the Twilio API key' })
  TWILIO_API_KEY_SECRET?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^AP[0-9a-fA-F]{32}$/, { message: 'expected a TwiML app SID: AP followed by 32 hex digits' })
  TWILIO_TWIML_APP_SID?: string;

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'expected the http(s) URL the carrier simulator answers at, such as http://127.0.0.1:3100' })
  CARRIER_SIM_URL?: string;

  @IsOptional()
  @IntegerBetween(1, 100000, 'expected a whole number of calls per second between 1 and 100000')
  CARRIER_SIM_CALLS_PER_SECOND = 1;

  @IsOptional()
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'expected an account SID for the simulator: AC followed by 32 hex digits' })
  CARRIER_SIM_ACCOUNT_SID = CARRIER_SIMULATOR_DEFAULT_ACCOUNT_SID;

  @IsOptional()
  @Matches(/^[0-9a-fA-F]{32}$/, { message: 'expected an auth token for the simulator: 32 hex digits' })
  CARRIER_SIM_AUTH_TOKEN = CARRIER_SIMULATOR_DEFAULT_AUTH_TOKEN;

  /** Texts per second one sending number may send (a long code: 1; a 10DLC or toll-free number: what its registration allows). */
  @IsOptional()
  @IntegerBetween(1, 1000, 'expected a whole number of texts per second per sending number between 1 and 1000')
  SMS_SENDER_MESSAGES_PER_SECOND = 1;

  /** Texts per second across the carrier account, whatever the sending number. */
  @IsOptional()
  @IntegerBetween(1, 10000, 'expected a whole number of texts per second for the whole account between 1 and 10000')
  SMS_ACCOUNT_MESSAGES_PER_SECOND = 100;

  /**
   * Who answers STOP, START and HELP: `carrier` (Twilio's long codes and toll-free numbers send their own
   * confirmation, so we send none and never text twice) or `crossroads` (numbers whose carrier does not).
   */
  @IsOptional()
  @IsIn(['carrier', 'crossroads'], { message: 'expected carrier or crossroads' })
  SMS_KEYWORD_REPLIES: 'carrier' | 'crossroads' = 'carrier';

  @IsOptional()
  @IsString({ message: 'expected the text sent in answer to HELP or INFO' })
  @MinLength(10, { message: 'expected the text sent in answer to HELP or INFO, at least 10 characters' })
  SMS_HELP_REPLY = 'Volunteer texting for a community alliance, by Crossroads. Reply STOP to stop these texts.';

  @IsOptional()
  @IsString({ message: 'expected the text confirming an opt-out' })
  @MinLength(10, { message: 'expected the text confirming an opt-out, at least 10 characters' })
  SMS_OPT_OUT_REPLY = 'You will get no more texts from us. Reply START to receive them again.';

  @IsOptional()
  @IsString({ message: 'expected the text confirming a re-subscription' })
  @MinLength(10, { message: 'expected the text confirming a re-subscription, at least 10 characters' })
  SMS_OPT_IN_REPLY = 'You will receive our texts again. Reply STOP to stop.';
}
