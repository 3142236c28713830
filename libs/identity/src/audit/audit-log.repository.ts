import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface NewAuditEvent {
  readonly allianceId: string | null;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly correlationId: string | null;
}

export interface AuditEventRow {
  /** bigint, as text. */
  readonly id: string;
  readonly action: string;
  readonly actorUserId: string | null;
  readonly actorEmail: string | null;
  readonly subjectType: string | null;
  readonly subjectId: string | null;
  readonly details: Record<string, unknown>;
  readonly correlationId: string | null;
  readonly createdAt: Date;
}

@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(event: NewAuditEvent): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_event (alliance_id, actor_user_id, action, subject_type, subject_id, details, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [event.allianceId, event.actorUserId, event.action, event.subjectType, event.subjectId, JSON.stringify(event.details), event.correlationId],
    );
  }

  /**
   * An alliance's events, newest first, a page at a time (keyset on id). Sign-ins belong to no
   * alliance; they show for every alliance the user is a member of.
   */
  list(allianceId: string, beforeId: string | undefined, limit: number): Promise<AuditEventRow[]> {
    return this.dataSource.query(
      `SELECT e.id::text AS id, e.action, e.actor_user_id AS "actorUserId", u.email AS "actorEmail", e.subject_type AS "subjectType",
              e.subject_id AS "subjectId", e.details, e.correlation_id AS "correlationId", e.created_at AS "createdAt"
         FROM audit_event e
         LEFT JOIN app_user u ON u.id = e.actor_user_id
        WHERE (e.alliance_id = $1
               OR (e.alliance_id IS NULL AND e.actor_user_id IN (SELECT m.user_id FROM membership m WHERE m.alliance_id = $1)))
          AND ($2::bigint IS NULL OR e.id < $2::bigint)
        ORDER BY e.id DESC
        LIMIT $3`,
      [allianceId, beforeId ?? null, limit],
    );
  }
}
