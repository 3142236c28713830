import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, ServiceEndpoints } from '@app/config';
import { buildDataSourceOptions } from './data-source-options.factory';
import { PostgresHealthIndicator } from './postgres-health.indicator';
import type { DatabaseRole } from './row-security/database-role.enum';
import { RowScopeRunner } from './row-security/row-scope.runner';

export interface DatabaseModuleOptions {
  /** The role every statement runs as; unset, the connecting user's own (workers and the cli). */
  readonly sessionRole?: DatabaseRole;
}

@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [PostgresHealthIndicator, RowScopeRunner],
      exports: [PostgresHealthIndicator, RowScopeRunner],
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig, ServiceEndpoints],
          useFactory: (config: AppConfig, endpoints: ServiceEndpoints) => ({
            ...buildDataSourceOptions(endpoints.databaseUrl, config.database.poolSize, 'crossroads', options.sessionRole),
            // A process that cannot reach its database should fail its start-up fast and say so.
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            try {
              return await new DataSource(dataSourceOptions!).initialize();
            } catch (error) {
              // The role comes from the migrations: an unmigrated database should say so, not "role does not exist".
              if (options.sessionRole !== undefined && error instanceof Error && error.message.includes(`role "${options.sessionRole}" does not exist`)) {
                throw new Error(`The database has not been migrated (its role ${options.sessionRole} is missing): run \`npm run cli -- db migrate\` first`, {
                  cause: error,
                });
              }
              throw error;
            }
          },
        }),
      ],
    };
  }
}
