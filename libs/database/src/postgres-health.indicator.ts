import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { HealthIndicator, HealthIndicatorResult } from '@app/observability';

@Injectable()
export class PostgresHealthIndicator implements HealthIndicator {
  readonly name = 'postgres';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(): Promise<HealthIndicatorResult> {
    await this.dataSource.query('SELECT 1');
    return { status: 'up' };
  }
}
