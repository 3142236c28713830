import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, ServiceEndpoints } from '@app/config';
import { DatabaseModule, type DatabaseRole } from '@app/database';
import { type LogDestination, ObservabilityModule } from '@app/observability';
import { QueueModule } from '@app/queue';

export interface CoreModuleOptions {
  readonly config: AppConfig;
  readonly endpoints: ServiceEndpoints;
  readonly serviceName: string;
  readonly logDestination?: LogDestination;
  readonly minimumLogLevel?: 'warn' | 'error';
  /** The database role every statement runs as (the api's); unset, the connecting user's. */
  readonly databaseRole?: DatabaseRole;
}

/** What every process has: validated config, logs and metrics, the database and the queues. */
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(options.config, options.endpoints),
        ObservabilityModule.forRoot({ serviceName: options.serviceName, logDestination: options.logDestination, minimumLevel: options.minimumLogLevel }),
        DatabaseModule.forRoot({ sessionRole: options.databaseRole }),
        QueueModule.forRoot(),
      ],
      exports: [DatabaseModule],
    };
  }
}
