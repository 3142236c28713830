import { Injectable } from '@nestjs/common';
import { returnedRows } from '@app/database';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CallingWindow } from './calling-window';
import type { CampaignChannel, CampaignStatus, DialMode, RetryPolicy } from './campaign-settings';
import type { CannedResponse, InitialMessage } from './texting';

export interface CampaignRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: Date;
  /** Null: an alliance-wide program; each member organization calls the turf assigned to it. */
  readonly organizationId: string | null;
  readonly channel: CampaignChannel;
  readonly dialMode: DialMode;
  readonly status: CampaignStatus;
  readonly callerIds: readonly string[];
  readonly callingWindow: CallingWindow;
  /** As stored: a partial policy over the defaults. */
  readonly retryPolicy: Partial<RetryPolicy>;
  readonly contactTarget: number | null;
  /** YYYY-MM-DD */
  readonly startsOn: string | null;
  readonly endsOn: string | null;
  readonly script: unknown;
  readonly surveyQuestions: unknown;
  readonly scriptVersion: number;
  readonly updatedAt: Date;
  /** The dialer's pacing (power and predictive); defaults from the database. */
  readonly callsPerSecond: number;
  readonly powerLinesPerVolunteer: number;
  readonly maxLinesPerVolunteer: number;
  readonly abandonRateTarget: number;
  /** Played to a person no volunteer could take in time; required for predictive. */
  readonly identificationMessage: string | null;
  /** Left on answering machines; null hangs up on them. */
  readonly voicemailMessage: string | null;
  /** Texting (sms campaigns): our numbers in E.164, unique; empty on a phone campaign. */
  readonly sendingNumbers: readonly string[];
  /** A Twilio Messaging Service (MG + 32 hex) that picks the number instead; null when the numbers are ours to pick. */
  readonly messagingServiceSid: string | null;
  /** The first text of each conversation, with per-segment variants; null until written. */
  readonly initialMessage: InitialMessage | null;
  readonly cannedResponses: readonly CannedResponse[];
  /** Skip phones another campaign of the alliance texted within this many days; null: no suppression. */
  readonly suppressTextedWithinDays: number | null;
}

/** What a campaign's owner may set; every field optional on update. */
export interface CampaignSettingsRow {
  readonly organizationId?: string | null;
  readonly channel?: CampaignChannel;
  readonly dialMode?: DialMode;
  readonly callerIds?: readonly string[];
  readonly callingWindow?: CallingWindow;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly contactTarget?: number | null;
  readonly startsOn?: string | null;
  readonly endsOn?: string | null;
  readonly name?: string;
  readonly callsPerSecond?: number;
  readonly powerLinesPerVolunteer?: number;
  readonly maxLinesPerVolunteer?: number;
  readonly abandonRateTarget?: number;
  readonly identificationMessage?: string | null;
  readonly voicemailMessage?: string | null;
  readonly sendingNumbers?: readonly string[];
  readonly messagingServiceSid?: string | null;
  readonly initialMessage?: InitialMessage | null;
  readonly cannedResponses?: readonly CannedResponse[];
  readonly suppressTextedWithinDays?: number | null;
}

interface CampaignRow extends Omit<CampaignRecord, 'callingWindow'> {
  readonly windowStart: string;
  readonly windowEnd: string;
}

// real columns go through numeric: its shortest decimal (0.025), not float4's binary neighbour (0.0250000004).
const COLUMNS = `id, alliance_id AS "allianceId", slug, name, created_at AS "createdAt", organization_id AS "organizationId",
  channel, dial_mode AS "dialMode", status, caller_ids AS "callerIds", calling_window_start::text AS "windowStart",
  calling_window_end::text AS "windowEnd", retry_policy AS "retryPolicy", contact_target AS "contactTarget",
  starts_on::text AS "startsOn", ends_on::text AS "endsOn", script, survey_questions AS "surveyQuestions",
  script_version AS "scriptVersion", updated_at AS "updatedAt", calls_per_second::numeric::float8 AS "callsPerSecond",
  power_lines_per_volunteer AS "powerLinesPerVolunteer", max_lines_per_volunteer::numeric::float8 AS "maxLinesPerVolunteer",
  abandon_rate_target::numeric::float8 AS "abandonRateTarget", identification_message AS "identificationMessage", voicemail_message AS "voicemailMessage",
  sending_numbers AS "sendingNumbers", messaging_service_sid AS "messagingServiceSid", initial_message AS "initialMessage",
  canned_responses AS "cannedResponses", suppress_texted_within_days AS "suppressTextedWithinDays"`;

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function clockOf(minuteOfDay: number): string {
  return `${Math.floor(minuteOfDay / 60)}:${minuteOfDay % 60}`;
}

function toRecord(row: CampaignRow): CampaignRecord {
  const { windowStart, windowEnd, ...rest } = row;
  return { ...rest, callingWindow: { startMinute: minutesOf(windowStart), endMinute: minutesOf(windowEnd) } };
}

/** Setting → column, in one place, so insert and update cannot disagree. */
function settingColumns(settings: CampaignSettingsRow): [string, unknown][] {
  const columns: [string, unknown][] = [];
  if (settings.name !== undefined) columns.push(['name', settings.name]);
  if (settings.organizationId !== undefined) columns.push(['organization_id', settings.organizationId]);
  if (settings.channel !== undefined) columns.push(['channel', settings.channel]);
  if (settings.dialMode !== undefined) columns.push(['dial_mode', settings.dialMode]);
  if (settings.callerIds !== undefined) columns.push(['caller_ids', settings.callerIds]);
  if (settings.callingWindow !== undefined) {
    columns.push(['calling_window_start', clockOf(settings.callingWindow.startMinute)]);
    columns.push(['calling_window_end', clockOf(settings.callingWindow.endMinute)]);
  }
  if (settings.retryPolicy !== undefined) columns.push(['retry_policy', JSON.stringify(settings.retryPolicy)]);
  if (settings.contactTarget !== undefined) columns.push(['contact_target', settings.contactTarget]);
  if (settings.startsOn !== undefined) columns.push(['starts_on', settings.startsOn]);
  if (settings.endsOn !== undefined) columns.push(['ends_on', settings.endsOn]);
  if (settings.callsPerSecond !== undefined) columns.push(['calls_per_second', settings.callsPerSecond]);
  if (settings.powerLinesPerVolunteer !== undefined) columns.push(['power_lines_per_volunteer', settings.powerLinesPerVolunteer]);
  if (settings.maxLinesPerVolunteer !== undefined) columns.push(['max_lines_per_volunteer', settings.maxLinesPerVolunteer]);
  if (settings.abandonRateTarget !== undefined) columns.push(['abandon_rate_target', settings.abandonRateTarget]);
  if (settings.identificationMessage !== undefined) columns.push(['identification_message', settings.identificationMessage]);
  if (settings.voicemailMessage !== undefined) columns.push(['voicemail_message', settings.voicemailMessage]);
  if (settings.sendingNumbers !== undefined) columns.push(['sending_numbers', settings.sendingNumbers]);
  if (settings.messagingServiceSid !== undefined) columns.push(['messaging_service_sid', settings.messagingServiceSid]);
  // SQL NULL, not JSON null: the column holds an object or nothing.
  if (settings.initialMessage !== undefined)
    columns.push(['initial_message', settings.initialMessage === null ? null : JSON.stringify(settings.initialMessage)]);
  if (settings.cannedResponses !== undefined) columns.push(['canned_responses', JSON.stringify(settings.cannedResponses)]);
  if (settings.suppressTextedWithinDays !== undefined) columns.push(['suppress_texted_within_days', settings.suppressTextedWithinDays]);
  return columns;
}

@Injectable()
export class CampaignRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Null when the alliance already has a campaign with that slug. */
  async insert(
    allianceId: string,
    slug: string,
    name: string,
    settings: CampaignSettingsRow = {},
    createdByUserId: string | null = null,
  ): Promise<CampaignRecord | null> {
    const columns = settingColumns(settings).filter(([column]) => column !== 'name');
    const names = ['alliance_id', 'slug', 'name', 'created_by_user_id', ...columns.map(([column]) => column)];
    const values = [allianceId, slug, name, createdByUserId, ...columns.map(([, value]) => value)];
    const rows: CampaignRow[] = await this.dataSource.query(
      `INSERT INTO campaign (${names.join(', ')}) VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')})
       ON CONFLICT (alliance_id, slug) DO NOTHING RETURNING ${COLUMNS}`,
      values,
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async update(campaignId: string, settings: CampaignSettingsRow): Promise<CampaignRecord | null> {
    const columns = settingColumns(settings);
    const assignments = columns.map(([column], index) => `${column} = $${index + 2}`);
    const rows = returnedRows<CampaignRow>(
      await this.dataSource.query(`UPDATE campaign SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, [
        campaignId,
        ...columns.map(([, value]) => value),
      ]),
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** A new script version; survey questions travel with it, as responses are read against both. */
  async updateScript(campaignId: string, script: unknown, surveyQuestions: unknown): Promise<CampaignRecord | null> {
    const rows = returnedRows<CampaignRow>(
      await this.dataSource.query(
        `UPDATE campaign SET script = $2, survey_questions = $3, script_version = script_version + 1, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [campaignId, JSON.stringify(script), JSON.stringify(surveyQuestions)],
      ),
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** Moves the status only from one of `from`; null when the campaign was elsewhere. */
  async transition(campaignId: string, from: readonly CampaignStatus[], to: CampaignStatus): Promise<CampaignRecord | null> {
    const rows = returnedRows<CampaignRow>(
      await this.dataSource.query(
        `UPDATE campaign SET status = $3, updated_at = now() WHERE id = $1 AND status = ANY ($2::campaign_status[]) RETURNING ${COLUMNS}`,
        [campaignId, from, to],
      ),
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async findById(campaignId: string): Promise<CampaignRecord | null> {
    const rows: CampaignRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM campaign WHERE id = $1`, [campaignId]);
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async findBySlug(allianceId: string, slug: string): Promise<CampaignRecord | null> {
    const rows: CampaignRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM campaign WHERE alliance_id = $1 AND slug = $2`, [allianceId, slug]);
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async list(allianceId: string): Promise<CampaignRecord[]> {
    const rows: CampaignRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM campaign WHERE alliance_id = $1 ORDER BY created_at DESC, slug`, [
      allianceId,
    ]);
    return rows.map(toRecord);
  }

  /**
   * The campaigns some organizations take part in: their own, and the alliance's programs (all of
   * them, which anchors assign turf for; or with `callableOnly`, those that assigned them turf).
   */
  async listForOrganizations(allianceId: string, organizationIds: readonly string[], callableOnly: boolean): Promise<CampaignRecord[]> {
    const rows: CampaignRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM campaign c
        WHERE c.alliance_id = $1
          AND (c.organization_id = ANY ($2::uuid[])
            OR (c.organization_id IS NULL AND (NOT $3 OR EXISTS (
              SELECT 1 FROM turf_assignment ta WHERE ta.campaign_id = c.id AND ta.organization_id = ANY ($2::uuid[]) AND ta.ended_at IS NULL))))
        ORDER BY c.created_at DESC, c.slug`,
      [allianceId, organizationIds, callableOnly],
    );
    return rows.map(toRecord);
  }
}
