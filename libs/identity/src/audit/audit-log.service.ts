import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { type AuditEventRow, AuditLogRepository } from './audit-log.repository';

export interface AuditSubject {
  readonly subjectType?: string;
  readonly subjectId?: string;
  /** Ids, counts and filters; never a voter's name, phone or address. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Who acted, and in which alliance (none for a sign-in). */
export interface AuditActor {
  readonly userId: string | null;
  readonly allianceId: string | null;
}

export const AUDIT_PAGE_SIZE = 100;

/** The record of sensitive actions (exports, turf assignments, role changes, sign-ins), readable by alliance admins. */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly events: AuditLogRepository,
    private readonly cls: ClsService,
  ) {}

  record(actor: AuditActor, action: string, subject: AuditSubject = {}): Promise<void> {
    return this.events.insert({
      allianceId: actor.allianceId,
      actorUserId: actor.userId,
      action,
      subjectType: subject.subjectType ?? null,
      subjectId: subject.subjectId ?? null,
      details: subject.details ?? {},
      correlationId: (this.cls.getId() as string | undefined) ?? null,
    });
  }

  list(allianceId: string, before: string | undefined, limit = AUDIT_PAGE_SIZE): Promise<AuditEventRow[]> {
    return this.events.list(allianceId, before, limit);
  }
}
