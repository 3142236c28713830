import { type DynamicModule, Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { IdentityModule } from '@app/identity';
import { TextingModule } from '@app/messaging';
import { StderrLogDestination } from '@app/observability';
import { CoreModule, type CoreModuleOptions } from '@app/runtime';
import { SegmentsModule } from '@app/segments';
import { TurfModule } from '@app/turf';
import { VoterFileModule } from '@app/voter-file';

@Module({})
export class CliModule {
  static forRoot(options: Omit<CoreModuleOptions, 'serviceName' | 'logDestination' | 'minimumLogLevel'>): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CoreModule.forRoot({ ...options, serviceName: 'cli', logDestination: new StderrLogDestination(), minimumLogLevel: 'warn' }),
        IdentityModule,
        VoterFileModule,
        TurfModule,
        SegmentsModule,
        ContactsModule,
        TextingModule,
      ],
    };
  }
}
