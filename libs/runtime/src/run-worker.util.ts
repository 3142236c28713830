import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { locateLocalRedis } from './local-redis.runner';
import { loadAppConfigOrExit } from '@app/config';
import { type QueueName, QueueWorkerLifecycle, readWorkerHeartbeat } from '@app/queue';
import type { CoreModuleOptions } from './core.module';
import { prepareProcess } from './prepare-process.util';
import { onShutdownSignal } from './shutdown-signals.util';

export interface WorkerDefinition {
  readonly name: string;
  readonly queues: readonly QueueName[];
  readonly module: (options: Omit<CoreModuleOptions, 'serviceName'>) => DynamicModule;
}

/** A worker's Nest context with its JSON logger installed; shared by `runWorker` and the tests. */
export async function createWorkerContext(module: DynamicModule): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  return app;
}

/**
 * The whole life of a worker process: no HTTP server; consume only once every handler is wired
 * (workers are created paused); on SIGTERM stop taking jobs, finish the running ones, then exit.
 * `<worker> health` instead checks this host's worker heartbeat and exits 0 or 1.
 */
export async function runWorker(definition: WorkerDefinition, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (argv[0] === 'health') {
    const config = loadAppConfigOrExit();
    const redisUrl = await locateLocalRedis(config.redis.url, config.dataDirectory);
    const heartbeat = await readWorkerHeartbeat(redisUrl, config.queue.prefix, definition.name).catch(() => undefined);
    const healthy = heartbeat?.state === 'running';
    process.stdout.write(`${JSON.stringify({ worker: definition.name, healthy, heartbeat: heartbeat ?? null })}\n`);
    process.exit(healthy ? 0 : 1);
  }
  const { config, services } = await prepareProcess();
  try {
    const app = await createWorkerContext(definition.module({ config, endpoints: services.endpoints }));
    const logger = app.get(Logger);
    onShutdownSignal(async (signal) => {
      logger.log({ signal }, `${definition.name} shutting down`);
      await app.close();
      await services.stop();
    }, config.shutdownTimeoutMs);
    await app.get(QueueWorkerLifecycle).start(definition.name, definition.queues);
  } catch (error) {
    // A worker that cannot start must not leave a database or Redis it started behind it.
    await services.stop();
    throw error;
  }
}
