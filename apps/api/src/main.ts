import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { onShutdownSignal, prepareProcess } from '@app/runtime';
import { createApiApplication } from './api-application.factory';

async function main(): Promise<void> {
  const { config, services } = await prepareProcess();
  const app = await createApiApplication({ config, endpoints: services.endpoints }).catch(async (error: unknown) => {
    await services.stop();
    throw error;
  });
  await app.listen(config.api.port, config.api.host).catch(async (error: unknown) => {
    await app.close().catch(() => undefined);
    await services.stop();
    throw error;
  });
  const logger = new Logger('api');
  logger.log({ url: await app.getUrl() }, 'api listening');
  onShutdownSignal(async (signal) => {
    logger.log({ signal }, 'api shutting down');
    await app.close();
    await services.stop();
  }, config.shutdownTimeoutMs);
}

void main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
