export * from './assert-unreachable.util';
export * from './domain-error-code.enum';
export * from './domain.exception';
export * from './error-response-body';
export * from './http-exception.filter';
export * from './http-status-of.util';
export * from './validation-pipe.factory';
export * from './correlation-id.util';
