import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { createValidationPipe, HttpExceptionFilter } from '@app/common';
import { DatabaseRole, PostgresHealthIndicator } from '@app/database';
import { IdentityModule } from '@app/identity';
import { HEALTH_INDICATORS, HealthService, HttpMetricsMiddleware } from '@app/observability';
import { RedisHealthIndicator } from '@app/queue';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { VoterFileModule } from '@app/voter-file';
import { AuditEventsController } from './audit/audit-events.controller';
import { SessionsController } from './auth/sessions.controller';
import { HealthController } from './health/health.controller';
import { JsonBodyMiddleware } from './json-body.middleware';
import { PeopleApiModule } from './people/people-api.module';
import { PhoneBankingApiModule } from './phone-banking/phone-banking-api.module';
import { ProgressApiModule } from './progress/progress-api.module';
import { SegmentsApiModule } from './segments/segments-api.module';
import { TextingApiModule } from './texting/texting-api.module';
import { TurfApiModule } from './turf/turf-api.module';
import { MetricsController } from './metrics/metrics.controller';
import { QueueDepthCollector } from './metrics/queue-depth.collector';
import { QueueProbesController } from './queue-probes/queue-probes.controller';
import { VoterImportsController } from './voter-imports/voter-imports.controller';
import { VoterUploadStorage } from './voter-imports/voter-upload.storage';
import { VotersController } from './voters/voters.controller';

export type ApiModuleOptions = Omit<CoreModuleOptions, 'serviceName' | 'databaseRole'>;

@Module({})
export class ApiModule implements NestModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot({ ...options, serviceName: 'api', databaseRole: DatabaseRole.Api }),
        IdentityModule,
        PeopleApiModule,
        TurfApiModule,
        SegmentsApiModule,
        PhoneBankingApiModule,
        TextingApiModule,
        ProgressApiModule,
        VoterFileModule,
        VoterUploadStorage.register(),
      ],
      controllers: [
        HealthController,
        MetricsController,
        QueueProbesController,
        SessionsController,
        AuditEventsController,
        VotersController,
        VoterImportsController,
      ],
      providers: [
        QueueDepthCollector,
        {
          provide: HEALTH_INDICATORS,
          inject: [PostgresHealthIndicator, RedisHealthIndicator],
          useFactory: (postgres: PostgresHealthIndicator, redis: RedisHealthIndicator) => [postgres, redis],
        },
        HealthService,
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware, JsonBodyMiddleware).forRoutes('*path');
  }
}
