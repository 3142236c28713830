import { Injectable } from '@nestjs/common';
import { Cluster } from 'ioredis';
import type { HealthIndicator, HealthIndicatorResult } from '@app/observability';
import { RedisClient } from './redis-client.provider';

@Injectable()
export class RedisHealthIndicator implements HealthIndicator {
  readonly name = 'redis';

  constructor(private readonly redis: RedisClient) {}

  async check(): Promise<HealthIndicatorResult> {
    const connection = this.redis.connection;
    if (connection instanceof Cluster) {
      // Any live node answers PING; what matters is whether every slot is served (a master down fails the cluster).
      const info = await connection.cluster('INFO');
      if (!/^cluster_state:ok\r?$/m.test(info)) throw new Error('the Redis Cluster reports a state other than ok');
      return { status: 'up' };
    }
    const reply = await connection.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    return { status: 'up' };
  }
}
