export * from './identity.factory';
export * from './test-context';
export * from './wait-until.util';
export * from './tcp-proxy';
export * from './owner-application';
export * from './signed-in-agent';
export * from './synthetic-voters';
export * from './redis-cluster.fixture';
