export * from './console-link.factory';
export * from './logging.notifier';
export * from './notifier';
