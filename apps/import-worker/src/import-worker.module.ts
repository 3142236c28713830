import { type DynamicModule, Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { IdentityModule } from '@app/identity';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { SegmentsModule } from '@app/segments';
import { VoterFileModule } from '@app/voter-file';
import { SegmentJobsHandler } from './segment-jobs.handler';
import { ImportsQueueProbeHandler } from './imports-queue-probe.handler';
import { ImportsQueueProcessor } from './imports-queue.processor';
import { ProgressJobsHandler } from './progress-jobs.handler';
import { ProgressQueueProcessor } from './progress-queue.processor';
import { ProgressScheduler } from './progress.scheduler';
import { VoterImportHandler } from './voter-import.handler';

@Module({})
export class ImportWorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'serviceName'>): DynamicModule {
    return {
      module: ImportWorkerModule,
      imports: [CoreModule.forRoot({ ...options, serviceName: 'import-worker' }), VoterFileModule, SegmentsModule, ContactsModule, IdentityModule],
      providers: [
        ImportsQueueProcessor,
        ImportsQueueProbeHandler,
        VoterImportHandler,
        SegmentJobsHandler,
        ProgressQueueProcessor,
        ProgressJobsHandler,
        ProgressScheduler,
      ],
    };
  }
}
