import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IdentityModule } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { SegmentsModule } from '@app/segments';
import { VoterFileModule } from '@app/voter-file';
import type { TestContext } from './test-context';

/**
 * The services as the import worker and the cli run them: connected as the database's owner,
 * outside the api's row policies. Tests set up data through it (import voters, insert any row)
 * that the api, acting as crossroads_api, could never write. Create it before the application
 * under test: Nest's static Logger writes to the last application created.
 */
export function createOwnerApplication(context: TestContext): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    {
      module: class OwnerTestModule {},
      imports: [
        CoreModule.forRoot({ config: context.config, endpoints: context.endpoints, serviceName: 'test-owner', logDestination: new RecordingLogDestination() }),
        IdentityModule,
        VoterFileModule,
        SegmentsModule,
      ],
    },
    { logger: false },
  );
}
