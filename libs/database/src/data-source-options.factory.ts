import type { DataSourceOptions } from 'typeorm';
import { DATABASE_ENTITIES } from './database-entities';
import { DATABASE_MIGRATIONS } from './database-migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const MIGRATIONS_TABLE_NAME = 'typeorm_migration';

/**
 * The one description of our database, used by the apps (through TypeOrmModule), the migration
 * commands and the test harness alike. The schema changes only through migrations.
 */
export function buildDataSourceOptions(url: string, poolSize = 10, applicationName = 'crossroads'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    applicationName,
    entities: DATABASE_ENTITIES,
    migrations: DATABASE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE_NAME,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
  };
}
