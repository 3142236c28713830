import { type DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@app/messaging';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { SmsJobsHandler } from './sms-jobs.handler';
import { SmsQueueProbeHandler } from './sms-queue-probe.handler';
import { SmsQueueProcessor } from './sms-queue.processor';
import { SmsSweepScheduler } from './sms-sweep.scheduler';

@Module({})
export class SmsWorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'serviceName'>): DynamicModule {
    return {
      module: SmsWorkerModule,
      imports: [CoreModule.forRoot({ ...options, serviceName: 'sms-worker' }), MessagingModule],
      providers: [SmsQueueProcessor, SmsQueueProbeHandler, SmsJobsHandler, SmsSweepScheduler],
    };
  }
}
