import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@app/config';
import { correlationIdOf } from '@app/common';
import { LogDestination, StdoutLogDestination } from './log-destination';
import { buildLoggerOptions } from './logger-options.factory';
import { MetricsService } from './metrics.service';

export interface ObservabilityOptions {
  /** Names the process in every log line: api, dialer-worker, sms-worker, cli. */
  readonly serviceName: string;
  /** Tests pass a RecordingLogDestination to read what would have been logged. */
  readonly logDestination?: LogDestination;
  /** Command-line tools raise the floor so framework start-up chatter stays out of an operator's terminal. */
  readonly minimumLevel?: 'warn' | 'error';
}

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const destination = options.logDestination ?? new StdoutLogDestination();
    return {
      module: ObservabilityModule,
      imports: [
        ClsModule.forRoot({
          global: true,
          middleware: { mount: true, generateId: true, idGenerator: correlationIdOf },
        }),
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => buildLoggerOptions(config, options.serviceName, destination, options.minimumLevel),
        }),
      ],
      providers: [MetricsService, { provide: LogDestination, useValue: destination }],
      exports: [MetricsService, LogDestination],
    };
  }
}
