import { Injectable } from '@nestjs/common';
import { type CampaignActor, type CampaignRecord, DISPOSITION_DETAILS, type DialMode, assertManages, organizationsServedBy } from '@app/campaigns';
import { Clock } from '@app/common';
import { RowScopeRunner } from '@app/database';
import { ABANDON_RATE_CAP } from '../compliance/compliance-evidence.service';
import { type LivePoolRow, DialerLiveStatusRepository } from './dialer-live-status.repository';

/** Conversations per volunteer-hour are shown only past this much volunteer time: a few minutes would make a wild rate. */
const MINIMUM_VOLUNTEER_HOURS = 0.05;

const CONVERSATION_DISPOSITIONS: readonly string[] = Object.entries(DISPOSITION_DETAILS)
  .filter(([, details]) => details.isConversation)
  .map(([disposition]) => disposition);

export interface AbandonmentFigure {
  readonly liveAnswers: number;
  readonly abandoned: number;
  /** abandoned ÷ live answers; null without live answers. */
  readonly rate: number | null;
}

/** What one pool (or the sum of the pools shown) is doing now and did in the last hour. */
export interface DialerFigures {
  readonly volunteers: {
    readonly ready: number;
    readonly talking: number;
    readonly wrapUp: number;
    readonly paused: number;
    /** In a calling session but not in the dialer yet. */
    readonly signedIn: number;
    readonly total: number;
  };
  readonly linesInFlight: number;
  readonly lastHour: {
    readonly dials: number;
    /** Dials whose outcome is known (answered or ended): the rates' denominator, so lines still ringing do not pull them down. */
    readonly settledDials: number;
    readonly answered: number;
    readonly liveAnswers: number;
    /** answered ÷ settled dials; null before any dial settled. */
    readonly answerRate: number | null;
    /** live answers ÷ settled dials. */
    readonly humanAnswerRate: number | null;
    readonly abandonment: AbandonmentFigure;
    readonly conversations: number;
    /** Signed-in, unpaused volunteer time. */
    readonly volunteerHours: number;
    /** Null under three minutes of volunteer time. */
    readonly conversationsPerVolunteerHour: number | null;
  };
}

export interface DialerPoolStatus extends DialerFigures {
  readonly organizationId: string;
  readonly organizationName: string;
}

export interface DialerLiveStatus {
  readonly campaignId: string;
  readonly dialMode: DialMode;
  readonly campaignStatus: string;
  readonly asOf: Date;
  /** The campaign's record, every pool's calls: what the law and the pacer count. */
  readonly abandonment: {
    readonly cap: number;
    readonly lastHour: AbandonmentFigure;
    readonly thirtyDays: AbandonmentFigure & { readonly ok: boolean };
  };
  /** The pools shown, summed. */
  readonly totals: DialerFigures;
  readonly pools: readonly DialerPoolStatus[];
}

/**
 * The live dialer view of a campaign for those who manage it (the same rule as its settings and
 * its compliance evidence). Abandonment is the campaign's, all pools together, as the law and the
 * pacer count it. Pools are shown per organization, only those the reader serves (an alliance admin
 * all of them; a lead their own organization and, for an anchor lead, its members): another
 * organization calling in the same campaign keeps its volunteers and results to itself.
 */
@Injectable()
export class DialerLiveStatusService {
  constructor(
    private readonly repository: DialerLiveStatusRepository,
    private readonly scopes: RowScopeRunner,
    private readonly clock: Clock,
  ) {}

  async statusOf(actor: CampaignActor, campaign: CampaignRecord): Promise<DialerLiveStatus> {
    assertManages(actor, campaign);
    const rows = await this.scopes.run(actor.rowScope, (manager) => this.repository.poolsOf(manager, campaign.id, CONVERSATION_DISPOSITIONS));
    const served = actor.allianceWide ? null : organizationsServedBy(actor);
    const shown = rows.filter((row) => served === null || served.has(row.organizationId));
    const lastHour = abandonmentOf(sum(rows, 'liveAnswers'), sum(rows, 'abandoned'));
    const thirtyDays = abandonmentOf(sum(rows, 'liveAnswers30Days'), sum(rows, 'abandoned30Days'));
    return {
      campaignId: campaign.id,
      dialMode: campaign.dialMode,
      campaignStatus: campaign.status,
      asOf: this.clock.now(),
      abandonment: { cap: ABANDON_RATE_CAP, lastHour, thirtyDays: { ...thirtyDays, ok: thirtyDays.rate === null || thirtyDays.rate <= ABANDON_RATE_CAP } },
      totals: figuresOf(shown),
      pools: shown.map((row) => ({ organizationId: row.organizationId, organizationName: row.organizationName ?? row.organizationId, ...figuresOf([row]) })),
    };
  }
}

function figuresOf(rows: readonly LivePoolRow[]): DialerFigures {
  const count = (key: keyof LivePoolRow) => sum(rows, key);
  const settledDials = count('settledDials');
  const volunteerHours = count('activeSeconds') / 3600;
  const conversations = count('conversations');
  const volunteers = { ready: count('ready'), talking: count('talking'), wrapUp: count('wrapUp'), paused: count('paused'), signedIn: count('signedIn') };
  return {
    volunteers: { ...volunteers, total: volunteers.ready + volunteers.talking + volunteers.wrapUp + volunteers.paused + volunteers.signedIn },
    linesInFlight: count('linesInFlight'),
    lastHour: {
      dials: count('dials'),
      settledDials,
      answered: count('answered'),
      liveAnswers: count('liveAnswers'),
      answerRate: ratio(count('answered'), settledDials),
      humanAnswerRate: ratio(count('liveAnswers'), settledDials),
      abandonment: abandonmentOf(count('liveAnswers'), count('abandoned')),
      conversations,
      volunteerHours: Math.round(volunteerHours * 1000) / 1000,
      conversationsPerVolunteerHour: volunteerHours < MINIMUM_VOLUNTEER_HOURS ? null : conversations / volunteerHours,
    },
  };
}

function abandonmentOf(liveAnswers: number, abandoned: number): AbandonmentFigure {
  return { liveAnswers, abandoned, rate: ratio(abandoned, liveAnswers) };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function sum(rows: readonly LivePoolRow[], key: keyof LivePoolRow): number {
  return rows.reduce((total, row) => total + Number(row[key] ?? 0), 0);
}
