import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import type { DataSource } from 'typeorm';
import { type CampaignActor, type CampaignRecord, assertManages } from '@app/campaigns';
import { Clock, DomainErrorCode, DomainException } from '@app/common';
import { type ComplianceEvidence, ComplianceEvidenceRepository } from './compliance-evidence.repository';

/** The law's cap on abandoned calls: 3% of live answers per campaign over any 30 days. */
export const ABANDON_RATE_CAP = 0.03;
export const COMPLIANCE_DEFAULT_DAYS = 30;
/** The longest window one request may ask for: three of the law's 30-day periods. */
export const COMPLIANCE_MAX_DAYS = 90;

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The window asked for, as sent (ISO 8601 dates or date-times); either end may be left out. */
export interface ComplianceWindowInput {
  readonly from?: string;
  readonly to?: string;
}

/** A must-be-zero check: how many calls broke it, and whether none did. */
export interface ComplianceCheck {
  readonly count: number;
  readonly ok: boolean;
}

/** A campaign's evidence over a window, with each legal limit judged. */
export interface ComplianceReport {
  readonly campaignId: string;
  readonly from: Date;
  readonly to: Date;
  readonly dials: number;
  /** Dials to voters of unknown zone: placed only while every US zone was inside the window, so not counted as wrong-window. */
  readonly unknownZoneDials: number;
  readonly abandonment: {
    readonly liveAnswers: number;
    readonly abandoned: number;
    /** abandoned ÷ live answers; null without live answers. */
    readonly rate: number | null;
    readonly cap: number;
    /** At or under the cap (true without live answers: nothing was abandoned). */
    readonly ok: boolean;
  };
  readonly checks: {
    /** Dials placed outside 08:00–21:00 in the voter's own zone. */
    readonly wrongWindowDials: ComplianceCheck;
    /** Unanswered calls we ended before 15 s of ringing. */
    readonly shortRings: ComplianceCheck;
    /** Automatic dials to mobile or unknown-type numbers without consent. */
    readonly automaticMobileDials: ComplianceCheck;
  };
}

/** The CSV export: a row per UTC day of the window (its ends cut to the window), then the window's total. */
export interface ComplianceCsv {
  readonly csv: string;
  readonly report: ComplianceReport;
  readonly days: number;
}

const CSV_COLUMNS = [
  'campaign',
  'period',
  'from',
  'to',
  'dials',
  'live_answers',
  'abandoned',
  'abandon_rate',
  'abandon_rate_ok',
  'wrong_window_dials',
  'wrong_window_ok',
  'short_rings',
  'short_rings_ok',
  'automatic_mobile_dials',
  'automatic_mobile_ok',
  'unknown_zone_dials',
] as const;

/**
 * What an org lead shows an auditor about a power or predictive campaign: abandonment against the
 * 3% cap and the three checks that must stay at zero, over the rolling 30 days or a window of up to
 * 90, and the same per day as CSV.
 *
 * Who may read it: those who may manage the campaign (alliance admins; the leads of the organization
 * running it, and of that organization's anchor). The law counts per campaign, whichever
 * organization's volunteers took the calls, and the repository reads a whole campaign, so the
 * evidence is the campaign's, shown to the people who answer for the campaign. Leads of an
 * organization that only holds turf in someone else's campaign are refused rather than shown
 * figures that include other organizations' calls.
 */
@Injectable()
export class ComplianceEvidenceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly evidence: ComplianceEvidenceRepository,
    private readonly clock: Clock,
  ) {}

  async report(actor: CampaignActor, campaign: CampaignRecord, input: ComplianceWindowInput): Promise<ComplianceReport> {
    assertManages(actor, campaign);
    const { from, to } = this.windowOf(input);
    return judged(await this.evidence.evidenceOf(this.dataSource.manager, campaign.id, from, to));
  }

  async exportCsv(actor: CampaignActor, campaign: CampaignRecord, input: ComplianceWindowInput): Promise<ComplianceCsv> {
    assertManages(actor, campaign);
    const { from, to } = this.windowOf(input);
    // One snapshot for every day and the total, so the rows add up to the total even while calls are being placed.
    const { days, total } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const perDay: ComplianceEvidence[] = [];
      for (const day of utcDaysOf(from, to)) perDay.push(await this.evidence.evidenceOf(manager, campaign.id, day.from, day.to));
      return { days: perDay, total: await this.evidence.evidenceOf(manager, campaign.id, from, to) };
    });
    const report = judged(total);
    const rows = [...days.map((day) => csvRow(campaign, day.from.toISOString().slice(0, 10), judged(day))), csvRow(campaign, 'total', report)];
    // The campaign's name is typed by a lead: a cell a spreadsheet would run as a formula is escaped.
    const csv = stringify(rows, { header: true, columns: [...CSV_COLUMNS], escape_formulas: true });
    return { csv, report, days: days.length };
  }

  /** The rolling 30 days to now by default; `to` is exclusive, and a date alone means midnight UTC at its start. */
  private windowOf(input: ComplianceWindowInput): { from: Date; to: Date } {
    const givenFrom = parseInstant('from', input.from);
    const givenTo = parseInstant('to', input.to);
    const to = givenTo ?? this.clock.now();
    const from = givenFrom ?? new Date(to.getTime() - COMPLIANCE_DEFAULT_DAYS * DAY_MS);
    if (from.getTime() >= to.getTime()) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `from (${from.toISOString()}) must be before to (${to.toISOString()})`, { field: 'from' });
    }
    const days = (to.getTime() - from.getTime()) / DAY_MS;
    if (days > COMPLIANCE_MAX_DAYS) {
      throw new DomainException(
        DomainErrorCode.ValidationFailed,
        `from and to may be at most ${COMPLIANCE_MAX_DAYS} days apart; these are ${Math.ceil(days)} days apart`,
        { field: givenFrom === null ? 'to' : 'from', maxDays: COMPLIANCE_MAX_DAYS },
      );
    }
    return { from, to };
  }
}

function judged(evidence: ComplianceEvidence): ComplianceReport {
  const check = (count: number): ComplianceCheck => ({ count, ok: count === 0 });
  return {
    campaignId: evidence.campaignId,
    from: evidence.from,
    to: evidence.to,
    dials: evidence.dials,
    unknownZoneDials: evidence.unknownZoneDials,
    abandonment: {
      liveAnswers: evidence.liveAnswers,
      abandoned: evidence.abandoned,
      rate: evidence.abandonRate,
      cap: ABANDON_RATE_CAP,
      ok: evidence.abandonRate === null || evidence.abandonRate <= ABANDON_RATE_CAP,
    },
    checks: {
      wrongWindowDials: check(evidence.wrongWindowDials),
      shortRings: check(evidence.shortRings),
      automaticMobileDials: check(evidence.automaticMobileDials),
    },
  };
}

function csvRow(campaign: CampaignRecord, period: string, report: ComplianceReport): Record<(typeof CSV_COLUMNS)[number], string> {
  const { abandonment, checks } = report;
  return {
    campaign: campaign.name,
    period,
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    dials: String(report.dials),
    live_answers: String(abandonment.liveAnswers),
    abandoned: String(abandonment.abandoned),
    abandon_rate: abandonment.rate === null ? '' : abandonment.rate.toFixed(4),
    abandon_rate_ok: String(abandonment.ok),
    wrong_window_dials: String(checks.wrongWindowDials.count),
    wrong_window_ok: String(checks.wrongWindowDials.ok),
    short_rings: String(checks.shortRings.count),
    short_rings_ok: String(checks.shortRings.ok),
    automatic_mobile_dials: String(checks.automaticMobileDials.count),
    automatic_mobile_ok: String(checks.automaticMobileDials.ok),
    unknown_zone_dials: String(report.unknownZoneDials),
  };
}

/** The UTC calendar days the window touches, each cut to the window. */
function utcDaysOf(from: Date, to: Date): Array<{ from: Date; to: Date }> {
  const days: Array<{ from: Date; to: Date }> = [];
  for (let start = Math.floor(from.getTime() / DAY_MS) * DAY_MS; start < to.getTime(); start += DAY_MS) {
    days.push({ from: new Date(Math.max(start, from.getTime())), to: new Date(Math.min(start + DAY_MS, to.getTime())) });
  }
  return days;
}

/**
 * A date (2026-11-01, midnight UTC) or a date-time with its offset (2026-11-01T08:00:00-05:00).
 * A time without an offset is refused: which zone it meant would be a guess.
 */
function parseInstant(field: 'from' | 'to', value: string | undefined): Date | null {
  if (value === undefined || value === '') return null;
  const parts = DATE_ONLY.exec(value) ?? DATE_TIME.exec(value);
  const instant = parts === null ? null : new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  const [, year, month, day] = parts ?? [];
  // Date would roll 2026-02-30 over to March rather than refuse it: a day the month lacks lands in the next month.
  const calendar = parts === null ? null : new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const realDay = calendar !== null && calendar.getUTCMonth() === Number(month) - 1;
  if (instant === null || Number.isNaN(instant.getTime()) || !realDay) {
    throw new DomainException(
      DomainErrorCode.ValidationFailed,
      `${field} must be a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T08:00:00Z; got "${value.slice(0, 40)}"`,
      { field },
    );
  }
  return instant;
}
