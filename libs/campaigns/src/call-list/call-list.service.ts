import { Injectable } from '@nestjs/common';
import { allianceWideAccess } from '@app/database';
import { timeZoneOfZip } from '../calling-window';
import { type CallListCounts, CallListRepository } from './call-list.repository';

/** Builds and refreshes a campaign's call list from the turf assigned for it. */
@Injectable()
export class CallListService {
  constructor(private readonly callList: CallListRepository) {}

  /** Idempotent: adds only phones not listed yet. Runs with the alliance's access: listing is a system step. */
  async refresh(allianceId: string, campaignId: string): Promise<CallListCounts> {
    const scope = allianceWideAccess(allianceId).rowScope;
    const zoneByZip = new Map<string, string>();
    for (const zip of await this.callList.zipCodesToAdd(scope, campaignId)) {
      const zone = timeZoneOfZip(zip);
      if (zone !== null) zoneByZip.set(zip, zone);
    }
    return this.callList.add(scope, campaignId, zoneByZip);
  }

  counts(allianceId: string, campaignId: string): Promise<{ total: number; open: number; done: number }> {
    return this.callList.counts(allianceWideAccess(allianceId).rowScope, campaignId);
  }
}
