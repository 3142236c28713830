export * from './http-metrics.middleware';
export * from './log-destination';
export * from './logger-options.factory';
export * from './metrics.service';
export * from './observability.module';
export * from './personal-data-masking.util';
export * from './health.service';
