import { type DynamicModule, Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { CallJobsHandler } from './call-jobs.handler';
import { DialerQueueProbeHandler } from './dialer-queue-probe.handler';
import { DialerQueueProcessor } from './dialer-queue.processor';

@Module({})
export class DialerWorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'serviceName'>): DynamicModule {
    return {
      module: DialerWorkerModule,
      imports: [CoreModule.forRoot({ ...options, serviceName: 'dialer-worker' }), ContactsModule],
      providers: [DialerQueueProcessor, DialerQueueProbeHandler, CallJobsHandler],
    };
  }
}
