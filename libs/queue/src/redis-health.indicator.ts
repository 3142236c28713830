import { Injectable } from '@nestjs/common';
import type { HealthIndicator, HealthIndicatorResult } from '@app/observability';
import { RedisClient } from './redis-client.provider';

@Injectable()
export class RedisHealthIndicator implements HealthIndicator {
  readonly name = 'redis';

  constructor(private readonly redis: RedisClient) {}

  async check(): Promise<HealthIndicatorResult> {
    const reply = await this.redis.connection.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    return { status: 'up' };
  }
}
