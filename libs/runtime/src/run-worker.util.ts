import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { Logger } from '@nestjs/common';
import { locateLocalRedis } from './local-redis.runner';
import { clusterRedisEndpoints, loadAppConfigOrExit } from '@app/config';
import { type QueueName, QueueWorkerLifecycle, readWorkerHeartbeat } from '@app/queue';
import type { CoreModuleOptions } from './core.module';
import { prepareProcess } from './prepare-process.util';
import { onShutdownSignal } from './shutdown-signals.util';

export interface WorkerDefinition {
  readonly name: string;
  readonly queues: readonly QueueName[];
  readonly module: (options: Omit<CoreModuleOptions, 'serviceName'>) => DynamicModule;
  /** Runs once the worker consumes (e.g. its periodic job schedulers), so nothing is scheduled for a worker that failed to start. */
  readonly afterStart?: (app: INestApplicationContext) => Promise<void> | void;
}

/** A worker's Nest context with its JSON logger installed; shared by `runWorker` and the tests. */
export async function createWorkerContext(module: DynamicModule): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(module, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(PinoLogger));
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
    const redis = config.redis.clusterNodes ? clusterRedisEndpoints(config.redis.clusterNodes) : await locateLocalRedis(config.redis.url, config.dataDirectory);
    const heartbeat = await readWorkerHeartbeat(redis, config.queue.prefix, definition.name).catch(() => undefined);
    const healthy = heartbeat?.state === 'running';
    process.stdout.write(`${JSON.stringify({ worker: definition.name, healthy, heartbeat: heartbeat ?? null })}\n`);
    process.exit(healthy ? 0 : 1);
  }
  const { config, services } = await prepareProcess();
  let app: INestApplicationContext | undefined;
  try {
    app = await createWorkerContext(definition.module({ config, endpoints: services.endpoints }));
    const context = app;
    const logger = new Logger(definition.name);
    onShutdownSignal(async (signal) => {
      logger.log({ signal }, 'shutting down');
      await context.close();
      await services.stop();
    }, config.shutdownTimeoutMs);
    await app.get(QueueWorkerLifecycle).start(definition.name, definition.queues);
    await definition.afterStart?.(app);
  } catch (error) {
    // A worker that cannot start must not leave a database or Redis it started behind it.
    await app?.close().catch(() => undefined);
    await services.stop();
    throw error;
  }
}
