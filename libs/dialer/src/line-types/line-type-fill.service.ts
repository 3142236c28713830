import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RowScopeRunner } from '@app/database';
import { JobName, JobProducer } from '@app/queue';
import { TelephonyPort, TelephonyRequestError } from '@app/telephony';
import { type ClaimedLookup, LineTypeFillRepository, type LineTypeProgress, type LookupOutcome } from './line-type-fill.repository';

/** Rows claimed at once: a crash repeats at most this many lookups, and a batch's answers are stored in one statement. */
const BATCH_SIZE = 100;
/** Lookups in flight at once, so a 100,000-row list neither floods the carrier nor takes all night. */
const LOOKUP_CONCURRENCY = 5;
/** A claim this old belonged to a worker that died mid-batch (a batch takes seconds). */
const RECLAIM_AFTER_SECONDS = 600;

export interface LineTypeFillOutcome {
  readonly kind: 'filled' | 'not-wanted';
  readonly lookedUp: number;
  readonly failed: number;
}

/**
 * Fills the line types a power or predictive campaign's call list lacks, from the carrier's lookup
 * (Twilio Lookup line type intelligence; carrier-sim here), so the pacer may dial landlines by
 * itself and leaves everything else to a volunteer's or clicker's action. The voter file's line
 * types are kept. Each number is asked about once: a row is claimed before its lookup and never
 * claimed again once answered; a lookup that fails leaves it NULL (unknown, so never dialed
 * automatically) and is counted, not retried.
 */
@Injectable()
export class LineTypeFillService {
  private readonly logger = new Logger(LineTypeFillService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lookups: LineTypeFillRepository,
    private readonly telephony: TelephonyPort,
    private readonly scopes: RowScopeRunner,
    private readonly producer: JobProducer,
  ) {}

  /** Asks the dialer worker to fill a campaign's line types; while one fill waits or runs, asking again adds nothing. */
  request(campaignId: string): Promise<string> {
    return this.producer.enqueue(JobName.LineTypeFill, { campaignId }, { deduplicationId: `line-type-fill-${campaignId}` });
  }

  async fill(campaignId: string): Promise<LineTypeFillOutcome> {
    const manager = this.dataSource.manager;
    let lookedUp = 0;
    let failed = 0;
    let wanted = false;
    const failureCodes = new Map<string, number>();
    // Checked before each batch: a campaign switched to preview or finished stops paying for lookups.
    while (await this.lookups.wantsLookups(manager, campaignId)) {
      wanted = true;
      const batch = await this.lookups.claimBatch(manager, campaignId, BATCH_SIZE, RECLAIM_AFTER_SECONDS);
      if (batch.length === 0) break;
      const outcomes = await mapConcurrently(batch, LOOKUP_CONCURRENCY, (claimed) => this.lookUp(claimed, failureCodes));
      await this.lookups.record(manager, outcomes);
      for (const outcome of outcomes) {
        if (outcome.lineType === null) failed += 1;
        else lookedUp += 1;
      }
    }
    if (!wanted) return { kind: 'not-wanted', lookedUp, failed };
    if (lookedUp + failed === 0) return { kind: 'filled', lookedUp, failed };
    // Counts and error codes only: no phone number is ever logged.
    this.logger.log({ message: 'line types looked up', campaignId, lookedUp, failed, failureCodes: Object.fromEntries(failureCodes) });
    return { kind: 'filled', lookedUp, failed };
  }

  /** A campaign's line types so far (the console shows them as progress); read as the alliance's own reader. */
  progress(allianceId: string, campaignId: string): Promise<LineTypeProgress> {
    return this.scopes.run({ kind: 'alliance', allianceId }, (manager) => this.lookups.progress(manager, campaignId));
  }

  private async lookUp(claimed: ClaimedLookup, failureCodes: Map<string, number>): Promise<LookupOutcome> {
    try {
      return { contactId: claimed.contactId, lineType: await this.telephony.lookupLineType(claimed.phone) };
    } catch (error) {
      // The carrier's message may quote the number: only its code is kept.
      const code = error instanceof TelephonyRequestError ? (error.code ?? (error.status === undefined ? 'unreachable' : `http-${error.status}`)) : 'error';
      failureCodes.set(code, (failureCodes.get(code) ?? 0) + 1);
      return { contactId: claimed.contactId, lineType: null };
    }
  }
}

/** `work` over every item, at most `limit` at a time, answers in the items' order. */
async function mapConcurrently<Item, Result>(items: readonly Item[], limit: number, work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
