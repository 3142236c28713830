import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { LogDestination } from '@app/observability';
import { RecordingLogDestination } from '@app/observability';
import { createOwnerApplication, createTestContext, type TestContext } from '@app/testing';
import { createApiApplication } from '../src/api-application.factory';

export interface ApiUnderTest {
  readonly context: TestContext;
  /** Connected as the database's owner, for setting up rows the api itself could never write. */
  readonly owner: INestApplicationContext;
  readonly app: INestApplication;
}

/**
 * A test file's own database and queues, the owner's application, and the api, initialized. The
 * owner's application comes first: Nest's static Logger writes to the last application created.
 */
export async function startApiUnderTest(options: { logDestination?: LogDestination; environment?: Record<string, string> } = {}): Promise<ApiUnderTest> {
  const context = await createTestContext(options.environment);
  const owner = await createOwnerApplication(context);
  const app = await createApiApplication({
    config: context.config,
    endpoints: context.endpoints,
    logDestination: options.logDestination ?? new RecordingLogDestination(),
  });
  await app.init();
  return { context, owner, app };
}

/** Closes what startApiUnderTest opened, whatever of it a failed set-up left. */
export async function closeApiUnderTest(parts: Partial<ApiUnderTest>): Promise<void> {
  await parts.app?.close();
  await parts.owner?.close();
  await parts.context?.dispose();
}
