import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { DEFAULT_JOB_OPTIONS } from './default-job-options.constant';
import { JobDispatcher } from './job-dispatcher.service';
import { JobProducer } from './job-producer.service';
import { QueueProbeRepository } from './probe/queue-probe.repository';
import { QueueProbeService } from './probe/queue-probe.service';
import { QueueConnection } from './queue-connection.provider';
import { QueueConnectionModule } from './queue-connection.module';
import { QueueName } from './queue-name.enum';
import { QueueWorkerLifecycle } from './queue-worker-lifecycle.service';
import { RedisClient } from './redis-client.provider';
import { RedisHealthIndicator } from './redis-health.indicator';
import { WorkerHeartbeat } from './worker-heartbeat.service';

const PROVIDERS = [
  JobProducer,
  JobDispatcher,
  QueueWorkerLifecycle,
  WorkerHeartbeat,
  RedisClient,
  RedisHealthIndicator,
  QueueProbeRepository,
  QueueProbeService,
];

@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        DiscoveryModule,
        QueueConnectionModule,
        BullModule.forRootAsync({
          imports: [QueueConnectionModule],
          inject: [AppConfig, QueueConnection],
          useFactory: (config: AppConfig, queueConnection: QueueConnection) => ({
            connection: queueConnection.connection,
            // Hash-tagged on a Redis Cluster (checked by loadAppConfig), so each queue's keys share a slot.
            prefix: config.queue.prefix,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      providers: PROVIDERS,
      exports: [BullModule, QueueConnectionModule, ...PROVIDERS],
    };
  }
}
