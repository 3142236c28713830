import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

// One lock per phone number, whatever the alliance: a STOP and a send to that phone never overlap.
const LOCK_KEY = `hashtextextended('sms-phone:' || $1, 0)`;

/**
 * The phone's lock. A sender holds it from the opt-out check until the carrier has answered; a STOP
 * takes it before writing the opt-out. So a STOP either waits for the one text in flight (which
 * the voter's phone may already be receiving) or comes first, and then every later send sees it.
 */
@Injectable()
export class PhoneLock {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` on one connection holding the phone's lock (session-level: it spans the carrier
   * request, which no transaction should). A worker killed meanwhile drops its connection, and
   * PostgreSQL releases the lock with it.
   */
  async hold<T>(phone: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [phone]);
      try {
        return await work(runner.manager);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [phone]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Inside a transaction: waits for a send in flight to the phone, and holds the lock until commit. */
  async lockInTransaction(manager: EntityManager, phone: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`, [phone]);
  }
}
