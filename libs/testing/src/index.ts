export * from './identity.factory';
export * from './test-context';
export * from './wait-until.util';
export * from './tcp-proxy';
