import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainErrorCode, DomainException } from '@app/common';
import { AuditLogService } from '@app/identity';
import { PhoneLock } from '../sending/phone-lock.service';
import { type OptOutEventRecord, OptOutRepository } from './opt-out.repository';

const E164 = /^\+[1-9]\d{6,14}$/;

export interface OptOutAdministrator {
  readonly userId: string;
  readonly allianceId: string;
}

export interface PhoneOptOutState {
  /** Texts refused: an opt-out of texts, or of calls and texts together. */
  readonly optedOutOfTexts: boolean;
  readonly history: readonly OptOutEventRecord[];
}

/**
 * An alliance admin's hand on opt-outs. The voter reverses their own with START; anyone else's
 * reversal needs a stated reason and leaves two records: the opt-out history (who, when, why) and
 * the audit log (the action, without the phone, which audit details never carry).
 */
@Injectable()
export class OptOutAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly optOuts: OptOutRepository,
    private readonly lock: PhoneLock,
    private readonly audit: AuditLogService,
  ) {}

  async state(admin: OptOutAdministrator, phone: string): Promise<PhoneOptOutState> {
    const checked = checkedPhone(phone);
    const manager = this.dataSource.manager;
    return {
      optedOutOfTexts: await this.optOuts.isOptedOut(manager, admin.allianceId, checked),
      history: await this.optOuts.history(manager, admin.allianceId, checked),
    };
  }

  /** Opts a phone out of texts (a voter asked by other means); a phone already opted out is left as it is. */
  async optOut(admin: OptOutAdministrator, phone: string, reason: string): Promise<PhoneOptOutState> {
    return this.change(admin, phone, reason, 'opt_out');
  }

  /** Lifts a phone's text opt-out; refused when there is none to lift (an opt-out of calls and texts is lifted where it was made). */
  async reverse(admin: OptOutAdministrator, phone: string, reason: string): Promise<PhoneOptOutState> {
    return this.change(admin, phone, reason, 'opt_in');
  }

  private async change(admin: OptOutAdministrator, phone: string, reason: string, action: 'opt_out' | 'opt_in'): Promise<PhoneOptOutState> {
    const checked = checkedPhone(phone);
    const why = reason.trim();
    if (why.length < 5 || why.length > 500) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'reason: say why, in 5 to 500 characters', { field: 'reason' });
    }
    const changed = await this.dataSource.transaction(async (manager) => {
      await this.lock.lockInTransaction(manager, checked);
      const details = { allianceId: admin.allianceId, phone: checked, source: 'admin' as const, actorUserId: admin.userId, reason: why };
      return action === 'opt_out' ? this.optOuts.optOut(manager, details) : this.optOuts.optIn(manager, details);
    });
    if (!changed && action === 'opt_in') {
      throw new DomainException(DomainErrorCode.Conflict, 'This phone has no text opt-out to reverse', { field: 'phone' });
    }
    const state = await this.state(admin, checked);
    if (changed) {
      await this.audit.record({ userId: admin.userId, allianceId: admin.allianceId }, action === 'opt_out' ? 'opt_out.added' : 'opt_out.reversed', {
        subjectType: 'opt_out_event',
        subjectId: state.history[0]?.id,
        details: { reasonLength: why.length },
      });
    }
    return state;
  }
}

function checkedPhone(phone: string): string {
  if (!E164.test(phone))
    throw new DomainException(DomainErrorCode.ValidationFailed, 'phone: expected an E.164 number such as +19195550123', { field: 'phone' });
  return phone;
}
