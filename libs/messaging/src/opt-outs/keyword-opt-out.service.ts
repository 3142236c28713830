import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PhoneLock } from '../sending/phone-lock.service';
import { OptOutRepository } from './opt-out.repository';

export interface KeywordOptOut {
  readonly keyword: 'opt-out' | 'opt-in';
  readonly voterPhone: string;
  readonly ourNumber: string;
  readonly messagingServiceSid: string | null;
  /** When the carrier's webhook reached us: a later change of the phone's state (by keyword or admin) wins. */
  readonly receivedAt: Date;
  readonly messageId?: string | null;
  /** Alliances known besides those whose campaigns text from our number (the matched conversation's). */
  readonly alsoAlliances?: readonly string[];
}

/**
 * A voter's STOP or START, for every alliance that texts from the number they wrote to (one opt-out
 * for the whole alliance, as the rules ask). Applied under the phone's lock, in the caller's
 * transaction; applied twice (webhook, then worker), the second finds it done.
 */
@Injectable()
export class KeywordOptOutService {
  constructor(
    private readonly optOuts: OptOutRepository,
    private readonly lock: PhoneLock,
  ) {}

  /** The alliances whose opt-out state changed. */
  async apply(manager: EntityManager, change: KeywordOptOut): Promise<string[]> {
    await this.lock.lockInTransaction(manager, change.voterPhone);
    const alliances = new Set([
      ...(await this.optOuts.alliancesTextingFrom(manager, change.ourNumber, change.messagingServiceSid)),
      ...(change.alsoAlliances ?? []),
    ]);
    const changed: string[] = [];
    for (const allianceId of alliances) {
      // An older keyword delivered late must not undo a newer one (STOP, START, then the STOP's retry).
      if (await this.optOuts.changedSince(manager, allianceId, change.voterPhone, change.receivedAt)) continue;
      const details = { allianceId, phone: change.voterPhone, source: 'keyword' as const, messageId: change.messageId ?? null };
      const done = change.keyword === 'opt-out' ? await this.optOuts.optOut(manager, details) : await this.optOuts.optIn(manager, details);
      if (done) changed.push(allianceId);
    }
    return changed;
  }
}
