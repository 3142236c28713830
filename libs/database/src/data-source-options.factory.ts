import type { DataSourceOptions } from 'typeorm';
import { DATABASE_ENTITIES } from './database-entities';
import { DATABASE_MIGRATIONS } from './database-migrations';
import type { DatabaseRole } from './row-security/database-role.enum';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const MIGRATIONS_TABLE_NAME = 'typeorm_migration';

/**
 * The one description of our database, used by the apps (through TypeOrmModule), the migration
 * commands and the test harness alike. The schema changes only through migrations. A
 * `sessionRole` makes every statement run as that role (the api runs as DatabaseRole.Api).
 */
export function buildDataSourceOptions(url: string, poolSize = 10, applicationName = 'crossroads', sessionRole?: DatabaseRole): DataSourceOptions {
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
    // Every schema object comes from migrations; an unprivileged role could not create extensions anyway.
    installExtensions: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5000,
      // Set at connection start, so even RESET ROLE comes back to it.
      ...(sessionRole === undefined ? {} : { options: `-c role=${sessionRole}` }),
    },
  };
}
