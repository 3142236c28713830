import { type DynamicModule, Module } from '@nestjs/common';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { VoterFileModule } from '@app/voter-file';
import { ImportsQueueProbeHandler } from './imports-queue-probe.handler';
import { ImportsQueueProcessor } from './imports-queue.processor';
import { VoterImportHandler } from './voter-import.handler';

@Module({})
export class ImportWorkerModule {
  static forRoot(options: Omit<CoreModuleOptions, 'serviceName'>): DynamicModule {
    return {
      module: ImportWorkerModule,
      imports: [CoreModule.forRoot({ ...options, serviceName: 'import-worker' }), VoterFileModule],
      providers: [ImportsQueueProcessor, ImportsQueueProbeHandler, VoterImportHandler],
    };
  }
}
