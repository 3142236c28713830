import { type DynamicModule, Module } from '@nestjs/common';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { SmsQueueProbeHandler } from './sms-queue-probe.handler';
import { SmsQueueProcessor } from './sms-queue.processor';

@Module({})
export class SmsWorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'serviceName'>): DynamicModule {
    return {
      module: SmsWorkerModule,
      imports: [CoreModule.forRoot({ ...options, serviceName: 'sms-worker' })],
      providers: [SmsQueueProcessor, SmsQueueProbeHandler],
    };
  }
}
