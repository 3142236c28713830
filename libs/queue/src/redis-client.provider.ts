import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { ServiceEndpoints } from '@app/config';
import { redisOptionsFromUrl } from './redis-connection.util';

/**
 * A plain Redis connection for health checks and heartbeats. It fails commands at once while
 * disconnected instead of queueing them, so a dead Redis is reported, not waited on.
 */
const FIRST_CONNECTION_WAIT_MS = 5000;

@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  readonly connection: Redis;

  constructor(endpoints: ServiceEndpoints) {
    this.connection = new Redis({
      ...redisOptionsFromUrl(endpoints.redisUrl),
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.connection.on('error', () => undefined);
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
