import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ServiceEndpoints } from '@app/config';
import { QueueName } from './queue-name.enum';
import { createRedisConnection, QUEUE_CONNECTION_OPTIONS, type RedisConnection } from './redis-connection.factory';

/**
 * The connection BullMQ's queues and workers share: a `Cluster` on a Redis Cluster, which BullMQ
 * can only be handed as an instance, and so a plain `Redis` too, built by the same factory.
 * BullMQ leaves a connection it was handed open, so it is closed here, after the queues.
 */
@Injectable()
export class QueueConnection implements OnApplicationShutdown {
  readonly connection: RedisConnection;

  constructor(
    endpoints: ServiceEndpoints,
    private readonly moduleRef: ModuleRef,
  ) {
    this.connection = createRedisConnection(endpoints, QUEUE_CONNECTION_OPTIONS);
    // BullMQ reports errors on its own listeners; this one keeps ioredis from printing them before a queue exists.
    this.connection.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    // Nest's shutdown order between modules is not ours to choose: close the queues first (closing twice is harmless).
    await Promise.all(
      Object.values(QueueName).map(async (name) => {
        const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
        await queue.close().catch(() => undefined);
      }),
    );
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
