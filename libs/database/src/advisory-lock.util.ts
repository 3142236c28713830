import type { DataSource } from 'typeorm';

/** Stable keys for pg_advisory_lock; one per kind of work that must never run twice at once. */
export enum AdvisoryLockKey {
  Migrations = 7_301_001,
}

/**
 * Runs `work` while holding a session-level advisory lock on one dedicated connection, so two
 * processes (say, the demo and a deploy step) migrating at once run one after the other.
 */
export async function withAdvisoryLock<T>(dataSource: DataSource, key: AdvisoryLockKey, work: () => Promise<T>): Promise<T> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await queryRunner.release();
  }
}
