export * from './advisory-lock.util';
export * from './data-source-options.factory';
export * from './database-entities';
export * from './database-migrations';
export * from './database.module';
export * from './migration-runner';
export * from './snake-naming.strategy';
export * from './postgres-health.indicator';
