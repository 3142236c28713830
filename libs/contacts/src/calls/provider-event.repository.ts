import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export type ProviderEventKind = 'call_status' | 'message_status' | 'inbound_message';

export interface ProviderEventRecord {
  readonly id: string;
  readonly provider: string;
  readonly kind: ProviderEventKind;
  readonly providerId: string;
  readonly eventKey: string;
  readonly subjectId: string | null;
  readonly status: string | null;
  readonly payload: Readonly<Record<string, string>>;
  readonly receivedAt: Date;
  readonly appliedAt: Date | null;
}

export interface NewProviderEvent {
  readonly provider: string;
  readonly kind: ProviderEventKind;
  readonly providerId: string;
  readonly eventKey: string;
  readonly subjectId: string | null;
  readonly status: string | null;
  readonly payload: Readonly<Record<string, string>>;
}

const COLUMNS = `id::text, provider, kind, provider_id AS "providerId", event_key AS "eventKey", subject_id AS "subjectId", status, payload,
  received_at AS "receivedAt", applied_at AS "appliedAt"`;

@Injectable()
export class ProviderEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a carrier event once; a repeat returns the stored one with `repeated` set. */
  async store(event: NewProviderEvent): Promise<{ event: ProviderEventRecord; repeated: boolean }> {
    const rows: ProviderEventRecord[] = await this.dataSource.query(
      `INSERT INTO provider_event (provider, kind, provider_id, event_key, subject_id, status, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (provider, kind, provider_id, event_key) DO NOTHING RETURNING ${COLUMNS}`,
      [event.provider, event.kind, event.providerId, event.eventKey, event.subjectId, event.status, JSON.stringify(event.payload)],
    );
    if (rows[0]) return { event: rows[0], repeated: false };
    const stored: ProviderEventRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM provider_event WHERE provider = $1 AND kind = $2 AND provider_id = $3 AND event_key = $4`,
      [event.provider, event.kind, event.providerId, event.eventKey],
    );
    return { event: stored[0], repeated: true };
  }

  /** Events stored before `olderThan` and never applied (their job lost with a Redis, or failed for good), oldest first. */
  async findUnapplied(kinds: readonly ProviderEventKind[], olderThan: Date, limit: number): Promise<Pick<ProviderEventRecord, 'id' | 'kind'>[]> {
    return this.dataSource.query(
      `SELECT id::text, kind FROM provider_event WHERE applied_at IS NULL AND kind = ANY ($1) AND received_at < $2 ORDER BY received_at LIMIT $3`,
      [kinds, olderThan, limit],
    );
  }

  async lockUnapplied(manager: EntityManager, eventId: string): Promise<ProviderEventRecord | null> {
    const rows: ProviderEventRecord[] = await manager.query(`SELECT ${COLUMNS} FROM provider_event WHERE id = $1 AND applied_at IS NULL FOR UPDATE`, [eventId]);
    return rows[0] ?? null;
  }

  async markApplied(manager: EntityManager, eventId: string): Promise<void> {
    await manager.query(`UPDATE provider_event SET applied_at = now() WHERE id = $1`, [eventId]);
  }
}
