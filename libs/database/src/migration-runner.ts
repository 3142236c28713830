import { DataSource } from 'typeorm';
import { AdvisoryLockKey, withAdvisoryLock } from './advisory-lock.util';
import { buildDataSourceOptions } from './data-source-options.factory';

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly pending: readonly string[];
}

/** Migrations as a deploy step (`cli db migrate`) and in the demo; always under the advisory lock. */
export class MigrationRunner {
  private constructor(private readonly dataSource: DataSource) {}

  static async connect(url: string): Promise<MigrationRunner> {
    const dataSource = new DataSource(buildDataSourceOptions(url, 2, 'crossroads-migrations'));
    await dataSource.initialize();
    return new MigrationRunner(dataSource);
  }

  async migrate(): Promise<MigrationReport> {
    return withAdvisoryLock(this.dataSource, AdvisoryLockKey.Migrations, async () => {
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      return { applied: applied.map((migration) => migration.name), pending: [] };
    });
  }

  /** Reverts the last `steps` migrations, newest first. */
  async revert(steps = 1): Promise<readonly string[]> {
    return withAdvisoryLock(this.dataSource, AdvisoryLockKey.Migrations, async () => {
      const reverted: string[] = [];
      for (let step = 0; step < steps; step += 1) {
        const before = await this.appliedNames();
        if (before.length === 0) break;
        await this.dataSource.undoLastMigration({ transaction: 'each' });
        reverted.push(before[before.length - 1]);
      }
      return reverted;
    });
  }

  async status(): Promise<MigrationReport> {
    const applied = await this.appliedNames();
    const pending = this.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !applied.includes(name));
    return { applied, pending };
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }

  private async appliedNames(): Promise<string[]> {
    const tableExists = await this.dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [this.dataSource.options.migrationsTableName]);
    if (!(tableExists as Array<{ exists: boolean }>)[0]?.exists) return [];
    const rows = (await this.dataSource.query(`SELECT name FROM ${this.dataSource.options.migrationsTableName} ORDER BY id`)) as Array<{ name: string }>;
    return rows.map((row) => row.name);
  }
}
