import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ServiceEndpoints } from '@app/config';
import { createRedisConnection, type RedisConnection, type RedisConnectionOptions } from './redis-connection.factory';

const FIRST_CONNECTION_WAIT_MS = 5000;

const COMMAND_CONNECTION_OPTIONS: RedisConnectionOptions = {
  lazyConnect: false,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
};

/**
 * The connection for health checks, heartbeats and counters (outside BullMQ). It fails commands at
 * once while disconnected instead of queueing them, so a dead Redis is reported, not waited on.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  /** A `Cluster` when REDIS_CLUSTER_NODES is set; keys of one command must then share a slot. */
  readonly connection: RedisConnection;

  constructor(private readonly endpoints: ServiceEndpoints) {
    this.connection = createRedisConnection(endpoints, COMMAND_CONNECTION_OPTIONS);
    this.connection.on('error', () => undefined);
  }

  /**
   * Another connection to the same Redis or cluster, with this one's options except those given
   * (a subscriber, which can do nothing else). Its owner closes it.
   */
  duplicate(overrides: RedisConnectionOptions): RedisConnection {
    return createRedisConnection(this.endpoints, { ...COMMAND_CONNECTION_OPTIONS, ...overrides });
  }

  /**
   * Waits (briefly) for the first connection, so the process's first health check does not
   * report a Redis that is merely still connecting; a Redis that is really down does not block start-up.
   */
  async onModuleInit(): Promise<void> {
    if (this.connection.status === 'ready') return;
    const giveUp = new AbortController();
    await Promise.race([
      once(this.connection, 'ready', { signal: giveUp.signal }),
      sleep(FIRST_CONNECTION_WAIT_MS, undefined, { signal: giveUp.signal }),
    ]).catch(() => undefined);
    giveUp.abort(); // neither the timer nor the listener may keep the process alive
  }

  async onApplicationShutdown(): Promise<void> {
    this.connection.disconnect();
  }
}
