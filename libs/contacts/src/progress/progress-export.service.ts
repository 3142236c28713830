import { pipeline, Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { DomainErrorCode, DomainException } from '@app/common';
import { RowScopeRunner } from '@app/database';
import { AuditLogService, type Authorization } from '@app/identity';
import { CONTACT_RESULT_COLUMNS, contactResultRecords } from './contact-results.format';
import { ContactResultsRepository, type ContactResultsFilter, type ContactResultRow } from './contact-results.repository';
import { BREAKDOWN_DIMENSIONS, type BreakdownRow, ProgressDashboardService } from './progress-dashboard.service';
import { ProgressFiguresRepository } from './progress-figures.repository';
import { parseDay } from './reporting-day.util';
import { chooseScope, type ProgressScope, scopesVisibleTo } from './progress-scopes.policy';

export const PROGRESS_TABLES = [...BREAKDOWN_DIMENSIONS, 'burn-up'] as const;
export type ProgressTable = (typeof PROGRESS_TABLES)[number];

const TABLE_COLUMNS = [
  'key',
  'label',
  'attempts',
  'conversations',
  'contact_rate',
  'voters_attempted',
  'voters_reached',
  'open_to_reform',
  'opt_outs',
  'exclusive_reached',
  'share',
  'volunteer_hours',
  'conversations_per_volunteer_hour',
  'target_voters',
  'target_date',
] as const;

const BURN_UP_COLUMNS = ['day', 'newly_reached', 'reached', 'target_voters', 'target_date'] as const;

export const CONTACT_RESULTS_PAGE = 2_000;

export interface CsvFile {
  readonly fileName: string;
  readonly csv: string;
  readonly rows: number;
}

export interface ContactResultsRequest {
  readonly scope?: string;
  /** A campaign's slug. */
  readonly campaign?: string;
  /** YYYY-MM-DD, inclusive, in the alliance's reporting zone. */
  readonly from?: string;
  readonly to?: string;
}

/**
 * The dashboard's tables as CSV, and contact results in the shape VAN bulk upload and Parsons
 * load. Cells a spreadsheet would run as a formula are escaped (names and labels are typed by
 * people), and every export is audited before its first byte leaves.
 */
@Injectable()
export class ProgressExportService {
  private readonly logger = new Logger(ProgressExportService.name);

  constructor(
    private readonly dashboard: ProgressDashboardService,
    private readonly figures: ProgressFiguresRepository,
    private readonly results: ContactResultsRepository,
    private readonly rowScopes: RowScopeRunner,
    private readonly audit: AuditLogService,
  ) {}

  async tableCsv(authorization: Authorization, scope: string | undefined, table: string): Promise<CsvFile> {
    if (!(PROGRESS_TABLES as readonly string[]).includes(table)) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `table: "${table}" is not one of ${PROGRESS_TABLES.join(', ')}`, { parameter: 'table' });
    }
    let chosen: ProgressScope;
    let records: Record<string, string>[];
    if (table === 'burn-up') {
      const summary = await this.dashboard.summary(authorization, scope);
      chosen = summary.scope;
      records = summary.burnUp.map((point) => ({
        day: point.day,
        newly_reached: String(point.newlyReached),
        reached: String(point.reached),
        target_voters: summary.target === null ? '' : String(summary.target.voters),
        target_date: summary.target?.targetDate ?? '',
      }));
    } else {
      const breakdown = await this.dashboard.breakdown(authorization, scope, table, 'all');
      chosen = breakdown.scope;
      records = breakdown.rows.map(tableRecord);
    }
    await this.audit.record(authorization, 'progress.exported', {
      subjectType: 'progress_scope',
      subjectId: chosen.id,
      details: { scope: chosen.kind, table, rows: records.length },
    });
    const columns = table === 'burn-up' ? [...BURN_UP_COLUMNS] : [...TABLE_COLUMNS];
    return {
      fileName: `progress-${authorization.allianceSlug}-${chosen.kind}-${table}.csv`,
      csv: stringifySync(records, { header: true, columns, escape_formulas: true }),
      rows: records.length,
    };
  }

  /**
   * The scope's contact attempts with their answers, read a page at a time as the client reads.
   * The request is checked, and recorded, before the first page is read.
   */
  async contactResultsCsv(authorization: Authorization, request: ContactResultsRequest): Promise<{ fileName: string; csv: Readable }> {
    const from = optionalDay(request.from, 'from');
    const to = optionalDay(request.to, 'to');
    if (from !== null && to !== null && from > to) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `from: ${from} is after to: ${to}`, { parameter: 'from' });
    }
    const { scope, filter } = await this.rowScopes.run(authorization.rowScope, async (manager) => {
      const [alliance, organizations] = await Promise.all([
        this.figures.alliance(manager, authorization.allianceId),
        this.figures.organizations(manager, authorization.allianceId),
      ]);
      const chosen = chooseScope(scopesVisibleTo(authorization, alliance.name, organizations), request.scope);
      const campaignSlug = request.campaign?.trim() ?? '';
      const campaignId = campaignSlug === '' ? null : await this.results.campaignId(manager, authorization.allianceId, campaignSlug);
      if (campaignSlug !== '' && campaignId === null) {
        throw new DomainException(DomainErrorCode.ValidationFailed, `campaign: there is no campaign "${campaignSlug}" in this alliance`, {
          parameter: 'campaign',
        });
      }
      const organizationIds =
        chosen.kind === 'alliance'
          ? null
          : organizations.filter((each) => each.id === chosen.id || (chosen.kind === 'region' && each.parentAnchorId === chosen.id)).map((each) => each.id);
      const resultsFilter: ContactResultsFilter = {
        allianceId: authorization.allianceId,
        organizationIds,
        campaignId,
        from,
        to,
        timeZone: alliance.reportingTimeZone,
      };
      return { scope: chosen, filter: resultsFilter };
    });
    await this.audit.record(authorization, 'progress.contact_results_exported', {
      subjectType: 'progress_scope',
      subjectId: scope.id,
      details: { scope: scope.kind, campaign: request.campaign ?? null, from, to },
    });
    const started = Date.now();
    let attempts = 0;
    const page = (after: string | null) =>
      this.rowScopes.run(authorization.rowScope, (manager) => this.results.page(manager, filter, after, CONTACT_RESULTS_PAGE));
    const first = await page(null);
    async function* records(): AsyncGenerator<Record<string, string>> {
      let batch: ContactResultRow[] = first;
      for (;;) {
        for (const row of batch) {
          attempts += 1;
          yield* contactResultRecords(row, filter.timeZone);
        }
        if (batch.length < CONTACT_RESULTS_PAGE) return;
        batch = await page(batch[batch.length - 1].id);
      }
    }
    const csv = pipeline(
      Readable.from(records(), { objectMode: true }),
      stringify({ header: true, columns: [...CONTACT_RESULT_COLUMNS], escape_formulas: true }),
      (error) => {
        // Counts only: a log line never carries a voter's id, name or phone.
        const outcome = { allianceId: authorization.allianceId, attempts, milliseconds: Date.now() - started };
        if (!error) this.logger.log(outcome, 'contact results export finished');
        else if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE')
          this.logger.log(outcome, 'contact results export stopped by its reader');
        else this.logger.error({ ...outcome, err: error }, 'contact results export failed');
      },
    );
    const suffix = request.campaign?.trim() ? `-${request.campaign.trim()}` : '';
    return { fileName: `contact-results-${authorization.allianceSlug}-${scope.kind}${suffix}.csv`, csv };
  }
}

function tableRecord(row: BreakdownRow): Record<string, string> {
  const number = (value: number | null, digits?: number) => (value === null ? '' : digits === undefined ? String(value) : value.toFixed(digits));
  return {
    key: row.key,
    label: row.label,
    attempts: number(row.attempts),
    conversations: number(row.conversations),
    contact_rate: number(row.contactRate, 4),
    voters_attempted: number(row.votersAttempted),
    voters_reached: number(row.votersReached),
    open_to_reform: number(row.openToReform),
    opt_outs: number(row.optOuts),
    exclusive_reached: number(row.exclusiveReached),
    share: number(row.share, 4),
    volunteer_hours: number(row.volunteerHours, 2),
    conversations_per_volunteer_hour: number(row.conversationsPerVolunteerHour, 2),
    target_voters: row.target === null ? '' : String(row.target.voters),
    target_date: row.target?.targetDate ?? '',
  };
}

function optionalDay(value: string | undefined, parameter: 'from' | 'to'): string | null {
  return value === undefined || value.trim() === '' ? null : parseDay(value, parameter, 'parameter');
}
