import type { LOG_LEVELS, NODE_ENVIRONMENTS } from './environment-variables.dto';
import type { RedisNodeAddress } from './redis-cluster-nodes.util';

/**
 * The validated, typed configuration of one process. It is also the DI token:
 * inject `AppConfig` anywhere instead of reading the environment.
 */
export abstract class AppConfig {
  abstract readonly environment: (typeof NODE_ENVIRONMENTS)[number];
  abstract readonly log: { readonly level: (typeof LOG_LEVELS)[number] };
  abstract readonly database: {
    /** Unset means "use the embedded PostgreSQL under dataDirectory". */
    readonly url: string | undefined;
    readonly poolSize: number;
  };
  abstract readonly redis: {
    /** Unset (and no cluster) means "use 127.0.0.1:6379 if it answers, else start redis-server". */
    readonly url: string | undefined;
    /** The seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES), or null for one Redis at `url`. */
    readonly clusterNodes: readonly RedisNodeAddress[] | null;
  };
  /** On a cluster `prefix` carries a hash tag (checked at start-up), so each queue's keys share one slot. */
  abstract readonly queue: { readonly prefix: string; readonly concurrency: number };
  abstract readonly dataDirectory: string;
  /** Uploaded voter files are streamed here (shared by the api and the import worker) and deleted once imported. */
  abstract readonly voterFiles: {
    readonly uploadDirectory: string;
    readonly maxUploadBytes: number;
    /** Threads that map lines of tab-separated files during an import; 0 maps on the main thread. */
    readonly importThreads: number;
  };
  abstract readonly consoleDirectory: string;
  abstract readonly api: { readonly host: string; readonly port: number; readonly publicBaseUrl: string | undefined };
  abstract readonly carrierSimulator: {
    readonly port: number;
    /** Where the api and workers reach it when telephony runs on the simulator. */
    readonly url: string;
    readonly accountSid: string;
    readonly authToken: string;
    /** Outbound calls leave its queue at this rate, as Twilio paces an account (1 by default). */
    readonly callsPerSecond: number;
  };
  abstract readonly shutdownTimeoutMs: number;
  abstract readonly sessions: {
    /** How long a sign-in lasts; signing out ends it earlier. */
    readonly hours: number;
    /** Session cookies carry `Secure` when the api is served over https (PUBLIC_BASE_URL). */
    readonly secureCookies: boolean;
  };
  abstract readonly demo: { readonly password: string };
  /**
   * Who carries calls and texts: real Twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set,
   * else the local carrier simulator. Either way the `twilio` SDK talks to it (apiBaseUrl).
   */
  abstract readonly telephony: {
    readonly provider: 'twilio' | 'carrier-sim';
    readonly accountSid: string;
    readonly authToken: string;
    /** Undefined: Twilio's own hosts. */
    readonly apiBaseUrl: string | undefined;
    /** The api's public URL as the carrier sees it: status callbacks go here and signatures cover it. */
    readonly webhookBaseUrl: string;
    /** Browser calling through Twilio's Voice JS SDK; undefined on the simulator or without an API key. */
    readonly browserVoice: { readonly apiKeySid: string; readonly apiKeySecret: string; readonly twimlAppSid: string } | undefined;
  };
  /** Texting: how fast each sending number and the account may send, and who answers keywords. */
  abstract readonly messaging: {
    readonly senderMessagesPerSecond: number;
    readonly accountMessagesPerSecond: number;
    readonly keywordReplies: 'carrier' | 'crossroads';
    readonly helpReply: string;
    readonly optOutReply: string;
    readonly optInReply: string;
  };
}
