export * from './app-config';
export * from './config-validation.error';
export * from './config.module';
export * from './environment-variables.dto';
export * from './load-app-config.util';
export * from './process-environment.util';
export * from './service-endpoints';
export * from './test-template.util';
