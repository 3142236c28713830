import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, ServiceEndpoints } from '@app/config';
import { buildDataSourceOptions } from './data-source-options.factory';
import { PostgresHealthIndicator } from './postgres-health.indicator';

@Module({
  providers: [PostgresHealthIndicator],
  exports: [PostgresHealthIndicator],
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, ServiceEndpoints],
      useFactory: (config: AppConfig, endpoints: ServiceEndpoints) => ({
        ...buildDataSourceOptions(endpoints.databaseUrl, config.database.poolSize),
        // A process that cannot reach its database should fail its start-up fast and say so.
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
