import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import { prepareProcess, type ResolvedServices } from '@app/runtime';
import { CliModule } from './cli.module';

export interface CliSession {
  readonly config: AppConfig;
  readonly services: ResolvedServices;
}

/** Validated config and reachable services for one command; stops whatever it had to start. */
export async function withServices<T>(work: (session: CliSession) => Promise<T>): Promise<T> {
  const { config, services } = await prepareProcess();
  try {
    return await work({ config, services });
  } finally {
    await services.stop();
  }
}

/** A Nest application context (no HTTP) for commands that use domain services. */
export async function withApplication<T>(session: CliSession, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot({ config: session.config, endpoints: session.services.endpoints }), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** Every command ends stdout with exactly one JSON line, so scripts can read the result. */
export function printResult(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
