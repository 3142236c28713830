import { Injectable } from '@nestjs/common';
import { assertManages, type CampaignActor, type CampaignRecord, organizationsServedBy } from '@app/campaigns';
import { Clock, DomainErrorCode, DomainException } from '@app/common';
import { RowScopeRunner } from '@app/database';
import { MESSAGE_STATUSES } from '../messages/message-status';
import { TextingAssignmentRepository } from './texting-assignment.repository';
import { TextingStatsRepository, type OrganizationTextingRow } from './texting-stats.repository';
import { decodeCursor, encodeCursor } from './texting-cursor.util';
import { phoneLastDigits } from './texting-message.renderer';

/** The outbound statuses a lead's figures always show, zero or not. */
export const OUTBOUND_STATUSES = ['created', 'held', 'requesting', 'sent', 'delivered', 'undelivered', 'failed', 'canceled'] as const;

export interface TextingFigures {
  readonly contacts: { readonly total: number; readonly assigned: number; readonly initialSent: number };
  /** Every outbound status seen (accepted, queued and sending too, when texts are in them), the eight above always. */
  readonly outboundByStatus: Readonly<Record<string, number>>;
  readonly failuresByErrorCode: readonly { readonly status: string; readonly errorCode: string | null; readonly count: number }[];
  /** Inbound texts matched to the campaign's conversations. */
  readonly replies: number;
  readonly needsResponse: number;
  /** Phones of the campaign's conversations that opted out of texts after their conversation began. */
  readonly optOuts: number;
}

export interface TextingStats {
  readonly campaignId: string;
  readonly campaignStatus: string;
  readonly asOf: Date;
  readonly totals: TextingFigures;
  readonly organizations: readonly (TextingFigures & { readonly organizationId: string; readonly organizationName: string })[];
}

export interface UnmatchedPage {
  readonly items: readonly {
    readonly id: string;
    readonly phoneLastDigits: string;
    readonly ourNumber: string | null;
    readonly body: string;
    readonly receivedAt: Date;
  }[];
  readonly nextCursor: string | null;
}

export const UNMATCHED_PAGE = { max: 200, default: 50 } as const;

/** What leads watch while a text campaign runs, and what alliance admins must look at: texts nobody's conversation matched. */
@Injectable()
export class TextingStatsService {
  constructor(
    private readonly repository: TextingStatsRepository,
    private readonly turf: TextingAssignmentRepository,
    private readonly rowScopes: RowScopeRunner,
    private readonly clock: Clock,
  ) {}

  async statsOf(actor: CampaignActor, campaign: CampaignRecord): Promise<TextingStats> {
    // An alliance-wide program's figures are its organizations': a lead sees those they serve, if any has turf in it.
    if (campaign.organizationId !== null || actor.allianceWide) assertManages(actor, campaign);
    else if (
      (await this.rowScopes.run(actor.rowScope, (manager) => this.turf.organizationsWithTurf(manager, campaign.id, [...organizationsServedBy(actor)])))
        .length === 0
    ) {
      throw new DomainException(DomainErrorCode.Forbidden, 'None of your organizations has turf in this campaign', { campaign: campaign.slug });
    }
    if (campaign.channel !== 'sms') throw new DomainException(DomainErrorCode.Conflict, 'This is not a text campaign', { reason: 'not_text_campaign' });
    const rows = await this.rowScopes.run(actor.rowScope, (manager) => this.repository.organizationFigures(manager, campaign.id));
    const served = actor.allianceWide ? null : organizationsServedBy(actor);
    const shown = rows.filter((row) => served === null || served.has(row.organizationId));
    return {
      campaignId: campaign.id,
      campaignStatus: campaign.status,
      asOf: this.clock.now(),
      totals: figuresOf(shown),
      organizations: shown.map((row) => ({
        organizationId: row.organizationId,
        organizationName: row.organizationName ?? row.organizationId,
        ...figuresOf([row]),
      })),
    };
  }

  async unmatched(actor: CampaignActor, query: { cursor?: string; limit?: number }): Promise<UnmatchedPage> {
    if (!actor.allianceWide) {
      throw new DomainException(DomainErrorCode.Forbidden, 'Only the alliance’s admins see texts that matched no conversation', {});
    }
    const before = decodeCursor(query.cursor, 'cursor');
    const limit = query.limit ?? UNMATCHED_PAGE.default;
    const rows = await this.rowScopes.run(actor.rowScope, (manager) =>
      this.repository.unmatchedInbound(manager, actor.allianceId, before === null ? null : { createdAt: before.at, id: before.id }, limit + 1),
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        id: row.id,
        phoneLastDigits: phoneLastDigits(row.voterPhone),
        ourNumber: row.ourNumber,
        body: row.body,
        receivedAt: row.createdAt,
      })),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ at: last.createdAtText, id: last.id }) : null,
    };
  }
}

/** Sums organizations' rows into one set of figures. */
export function figuresOf(rows: readonly OrganizationTextingRow[]): TextingFigures {
  const sum = (pick: (row: OrganizationTextingRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const outboundByStatus: Record<string, number> = Object.fromEntries(OUTBOUND_STATUSES.map((status) => [status, 0]));
  for (const row of rows) {
    for (const [status, count] of Object.entries(row.outboundByStatus)) outboundByStatus[status] = (outboundByStatus[status] ?? 0) + count;
  }
  const failures = new Map<string, { status: string; errorCode: string | null; count: number }>();
  for (const failure of rows.flatMap((row) => row.failuresByErrorCode)) {
    const key = `${failure.status}|${failure.errorCode ?? ''}`;
    const known = failures.get(key);
    failures.set(key, { ...failure, count: (known?.count ?? 0) + failure.count });
  }
  return {
    contacts: { total: sum((row) => row.contacts), assigned: sum((row) => row.assigned), initialSent: sum((row) => row.initialSent) },
    outboundByStatus: Object.fromEntries(MESSAGE_STATUSES.filter((status) => status in outboundByStatus).map((status) => [status, outboundByStatus[status]])),
    failuresByErrorCode: [...failures.values()].sort(
      (first, second) =>
        second.count - first.count || first.status.localeCompare(second.status) || (first.errorCode ?? '').localeCompare(second.errorCode ?? ''),
    ),
    replies: sum((row) => row.replies),
    needsResponse: sum((row) => row.needsResponse),
    optOuts: sum((row) => row.optOuts),
  };
}
