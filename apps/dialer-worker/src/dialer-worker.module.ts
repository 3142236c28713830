import { type DynamicModule, Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { DialerModule } from '@app/dialer';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { CallJobsHandler } from './call-jobs.handler';
import { DialerQueueProbeHandler } from './dialer-queue-probe.handler';
import { DialerQueueProcessor } from './dialer-queue.processor';
import { LineTypeJobsHandler } from './line-type-jobs.handler';
import { PacingJobsHandler } from './pacing-jobs.handler';
import { PacingSweepScheduler } from './pacing-sweep.scheduler';

@Module({})
export class DialerWorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'serviceName'>): DynamicModule {
    return {
      module: DialerWorkerModule,
      imports: [CoreModule.forRoot({ ...options, serviceName: 'dialer-worker' }), ContactsModule, DialerModule],
      providers: [DialerQueueProcessor, DialerQueueProbeHandler, CallJobsHandler, PacingJobsHandler, PacingSweepScheduler, LineTypeJobsHandler],
    };
  }
}
