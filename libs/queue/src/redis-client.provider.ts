import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { ServiceEndpoints } from '@app/config';
import { redisOptionsFromUrl } from './redis-connection.util';

/**
 * A plain Redis connection for health checks and heartbeats. It fails commands at once while
 * disconnected instead of queueing them, so a dead Redis is reported, not waited on.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
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

  async onApplicationShutdown(): Promise<void> {
    this.connection.disconnect();
  }
}
