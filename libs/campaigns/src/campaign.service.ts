import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { SegmentTaxonomyService } from '@app/segments';
import { type CallingWindow, DEFAULT_CALLING_WINDOW } from './calling-window';
import { type CampaignActor, assertManages, organizationsServedBy } from './campaign-actor';
import { type CampaignRecord, CampaignRepository, type CampaignSettingsRow } from './campaign.repository';
import {
  AVAILABLE_DIAL_MODES,
  type CampaignChannel,
  type CampaignStatus,
  type DialerSettingsInput,
  type DialMode,
  identificationProblem,
  parseCallerIds,
  parseCallingWindow,
  parseDialerSettings,
  parseRetryPolicy,
} from './campaign-settings';
import {
  DEFAULT_TEXTING_WINDOW,
  parseTextingSettings,
  TEXTING_SETTING_FIELDS,
  type TextingSettings,
  type TextingSettingsInput,
  textingReadinessProblems,
} from './texting';

/** What a campaign's owner sends to create or change one; absent fields keep their value. */
export interface CampaignSettingsInput extends DialerSettingsInput, TextingSettingsInput {
  readonly name?: string;
  readonly organizationId?: string | null;
  readonly channel?: CampaignChannel;
  readonly dialMode?: DialMode;
  readonly callerIds?: readonly string[];
  readonly callingWindow?: { readonly start?: string; readonly end?: string };
  readonly retryPolicy?: unknown;
  readonly contactTarget?: number | null;
  readonly startsOn?: string | null;
  readonly endsOn?: string | null;
}

/** Which statuses each move starts from. Finished is final: a finished campaign's results stay as they are. */
const TRANSITIONS: Readonly<Record<'activate' | 'pause' | 'finish', { from: CampaignStatus[]; to: CampaignStatus }>> = {
  activate: { from: ['draft', 'paused'], to: 'active' },
  pause: { from: ['active'], to: 'paused' },
  finish: { from: ['draft', 'active', 'paused'], to: 'finished' },
};

/**
 * An alliance's campaigns: turf is assigned for them, phone campaigns carry what calling needs
 * (dial mode, caller ids, calling window, retry policy, dates, target, script), and text (sms)
 * campaigns what texting needs (sending numbers or a messaging service, the initial message,
 * canned responses, suppression; the calling window is their texting window).
 */
@Injectable()
export class CampaignService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly taxonomies: SegmentTaxonomyService,
  ) {}

  /** A bare campaign (turf assignment creates these): a draft phone campaign with default settings. */
  async create(allianceId: string, slug: string, name: string): Promise<CampaignRecord> {
    const created = await this.campaigns.insert(allianceId, slug, name);
    if (created === null) throw new DomainException(DomainErrorCode.Conflict, `The alliance already has a campaign "${slug}"`, { slug });
    return created;
  }

  /** Creates a campaign with its settings; an organization's lead creates them for their own organization. */
  async createConfigured(actor: CampaignActor, slug: string, name: string, input: CampaignSettingsInput): Promise<CampaignRecord> {
    const channel = input.channel ?? 'phone';
    const parsed = await this.settingsOf(actor.allianceId, input, channel);
    // The database's default window is the phone one; a text campaign gets its own.
    const settings = channel === 'sms' && parsed.callingWindow === undefined ? { ...parsed, callingWindow: DEFAULT_TEXTING_WINDOW } : parsed;
    this.assertIdentified(settings.dialMode ?? 'preview', settings.identificationMessage ?? null);
    const organizationId = settings.organizationId ?? this.defaultOrganization(actor);
    if (!actor.allianceWide && (organizationId === null || !organizationsServedBy(actor).has(organizationId))) {
      throw new DomainException(DomainErrorCode.Forbidden, 'You may create campaigns only for the organizations you lead', { organizationId });
    }
    const created = await this.campaigns.insert(actor.allianceId, slug, name, { ...settings, organizationId }, actor.userId);
    if (created === null) throw new DomainException(DomainErrorCode.Conflict, `The alliance already has a campaign "${slug}"`, { slug });
    return created;
  }

  async update(actor: CampaignActor, campaignId: string, input: CampaignSettingsInput): Promise<CampaignRecord> {
    const campaign = await this.findForActor(actor, campaignId);
    assertManages(actor, campaign);
    if (campaign.status === 'finished')
      throw new DomainException(DomainErrorCode.Conflict, 'A finished campaign cannot be changed', { campaign: campaign.slug });
    // Its call list, texts and results belong to one channel; another channel is another campaign.
    if (input.channel !== undefined && input.channel !== campaign.channel) {
      throw invalid(
        'channel',
        `a campaign's channel is chosen when it is created; this one is ${campaign.channel}, so create a new campaign to use ${input.channel}`,
      );
    }
    const settings = await this.settingsOf(campaign.allianceId, input, campaign.channel);
    if (settings.organizationId !== undefined && settings.organizationId !== campaign.organizationId && !actor.allianceWide) {
      throw new DomainException(DomainErrorCode.Forbidden, 'Only the alliance’s admins move a campaign to another organization');
    }
    const startsOn = settings.startsOn === undefined ? campaign.startsOn : settings.startsOn;
    const endsOn = settings.endsOn === undefined ? campaign.endsOn : settings.endsOn;
    if (startsOn !== null && endsOn !== null && startsOn > endsOn) throw invalid('endsOn', 'the campaign must end on or after its start date');
    this.assertStillTextable(campaign, settings);
    // Judged on the campaign as it would be: a predictive one may not lose its message, nor a silent one turn predictive.
    this.assertIdentified(
      settings.dialMode ?? campaign.dialMode,
      settings.identificationMessage === undefined ? campaign.identificationMessage : settings.identificationMessage,
    );
    return (await this.campaigns.update(campaignId, settings)) ?? this.notFound(campaignId);
  }

  /** Moves a campaign's status; activating checks it can actually be called. */
  async transition(actor: CampaignActor, campaignId: string, move: keyof typeof TRANSITIONS): Promise<CampaignRecord> {
    const campaign = await this.findForActor(actor, campaignId);
    assertManages(actor, campaign);
    const { from, to } = TRANSITIONS[move];
    if (campaign.status === to) return campaign;
    if (move === 'activate') this.assertCallable(campaign);
    const moved = await this.campaigns.transition(campaignId, from, to);
    if (moved === null) {
      throw new DomainException(DomainErrorCode.Conflict, `A ${campaign.status} campaign cannot be moved to ${to}`, {
        campaign: campaign.slug,
        status: campaign.status,
      });
    }
    return moved;
  }

  async saveScript(actor: CampaignActor, campaignId: string, script: unknown, surveyQuestions: unknown): Promise<CampaignRecord> {
    const campaign = await this.findForActor(actor, campaignId);
    assertManages(actor, campaign);
    if (campaign.status === 'finished')
      throw new DomainException(DomainErrorCode.Conflict, 'A finished campaign cannot be changed', { campaign: campaign.slug });
    return (await this.campaigns.updateScript(campaignId, script, surveyQuestions)) ?? this.notFound(campaignId);
  }

  async findBySlug(allianceId: string, slug: string): Promise<CampaignRecord> {
    const campaign = await this.campaigns.findBySlug(allianceId, slug);
    if (campaign === null) throw new DomainException(DomainErrorCode.NotFound, `There is no campaign "${slug}" in this alliance`, { campaign: slug });
    return campaign;
  }

  /** Any campaign by id; the caller authorizes against its alliance. */
  async findById(campaignId: string): Promise<CampaignRecord> {
    return (await this.campaigns.findById(campaignId)) ?? this.notFound(campaignId);
  }

  /** A campaign of the actor's alliance; one of another alliance answers as a missing one. */
  async findForActor(actor: { readonly allianceId: string }, campaignId: string): Promise<CampaignRecord> {
    const campaign = await this.campaigns.findById(campaignId);
    if (campaign === null || campaign.allianceId !== actor.allianceId) return this.notFound(campaignId);
    return campaign;
  }

  list(allianceId: string): Promise<CampaignRecord[]> {
    return this.campaigns.list(allianceId);
  }

  /** The whole alliance's for alliance-wide actors; else the alliance's programs and the actor's organizations' own. */
  listForActor(actor: CampaignActor): Promise<CampaignRecord[]> {
    if (actor.allianceWide) return this.campaigns.list(actor.allianceId);
    return this.campaigns.listForOrganizations(actor.allianceId, [...organizationsServedBy(actor)], false);
  }

  /** Active phone campaigns the actor can call in: their organizations' own, and programs that turfed voters to them. */
  async listCallable(actor: CampaignActor): Promise<CampaignRecord[]> {
    return this.listActive(actor, 'phone');
  }

  /** Active text campaigns the actor's organizations have contacts in (a texter's campaign picker). */
  async listTextable(actor: CampaignActor): Promise<CampaignRecord[]> {
    return this.listActive(actor, 'sms');
  }

  private async listActive(actor: CampaignActor, channel: CampaignChannel): Promise<CampaignRecord[]> {
    const campaigns = actor.allianceWide
      ? await this.campaigns.list(actor.allianceId)
      : await this.campaigns.listForOrganizations(actor.allianceId, [...organizationsServedBy(actor)], true);
    return campaigns.filter((campaign) => campaign.status === 'active' && campaign.channel === channel);
  }

  private assertCallable(campaign: CampaignRecord): void {
    const problems: string[] = [];
    if (!AVAILABLE_DIAL_MODES.has(campaign.dialMode)) problems.push(`dial mode ${campaign.dialMode} is not available`);
    const unidentified = identificationProblem(campaign.dialMode, campaign.identificationMessage);
    if (unidentified !== null) problems.push(unidentified);
    if (campaign.channel === 'phone' && campaign.callerIds.length === 0) problems.push('it needs at least one caller id');
    if (campaign.channel === 'phone' && campaign.script === null) problems.push('it needs a script');
    const untextable = campaign.channel === 'sms' ? textingReadinessProblems(campaign) : [];
    problems.push(...untextable.map((missing) => missing.problem));
    if (campaign.endsOn !== null && campaign.endsOn < new Date().toISOString().slice(0, 10)) problems.push(`it ended on ${campaign.endsOn}`);
    if (problems.length > 0) {
      const fields = untextable.map((missing) => missing.field);
      throw new DomainException(DomainErrorCode.ValidationFailed, `Campaign "${campaign.slug}" cannot be activated: ${problems.join('; ')}`, {
        campaign: campaign.slug,
        problems,
        ...(fields.length > 0 ? { field: fields[0], fields } : {}),
      });
    }
  }

  /** Checks what the owner sent for a campaign of `channel`; throws naming the field of the first bad setting. */
  private async settingsOf(allianceId: string, input: CampaignSettingsInput, channel: CampaignChannel): Promise<CampaignSettingsRow> {
    if (input.dialMode !== undefined && !AVAILABLE_DIAL_MODES.has(input.dialMode)) {
      throw invalid('dialMode', `${input.dialMode} dialing is not available; use ${[...AVAILABLE_DIAL_MODES].join(', ')}`);
    }
    if (input.startsOn && input.endsOn && input.startsOn > input.endsOn) throw invalid('endsOn', 'the campaign must end on or after its start date');
    const dialer = parseDialerSettings(input);
    const texting = await this.textingSettingsOf(allianceId, input, channel);
    const windowDefaults: CallingWindow = channel === 'sms' ? DEFAULT_TEXTING_WINDOW : DEFAULT_CALLING_WINDOW;
    return {
      ...dialer,
      ...texting,
      name: input.name,
      organizationId: input.organizationId,
      channel: input.channel,
      dialMode: input.dialMode,
      callerIds: input.callerIds === undefined ? undefined : parseCallerIds(input.callerIds),
      callingWindow: input.callingWindow === undefined ? undefined : parseCallingWindow(input.callingWindow, windowDefaults),
      retryPolicy: input.retryPolicy === undefined ? undefined : parseRetryPolicy(input.retryPolicy),
      contactTarget: input.contactTarget,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
    };
  }

  /**
   * The texting settings given, checked; only a text campaign takes them. A variant of the initial
   * message must be for one of the alliance's segments, as a call script's must, so the taxonomy
   * is read when there are variants.
   */
  private async textingSettingsOf(allianceId: string, input: TextingSettingsInput, channel: CampaignChannel): Promise<TextingSettings> {
    const given = TEXTING_SETTING_FIELDS.filter((field) => input[field] !== undefined);
    if (given.length === 0) return {};
    if (channel !== 'sms') {
      const problem = `a texting setting, for sms campaigns only; this campaign's channel is ${channel}`;
      throw new DomainException(DomainErrorCode.ValidationFailed, given.map((field) => `${field}: ${problem}`).join('; '), {
        field: given[0],
        fields: given,
      });
    }
    const initialMessage = input.initialMessage as { variants?: unknown } | null | undefined;
    const hasVariants = Array.isArray(initialMessage?.variants) && initialMessage.variants.length > 0;
    const segmentKeys = hasVariants ? (await this.taxonomies.current(allianceId)).segments.map((segment) => segment.key) : undefined;
    return parseTextingSettings(input, { segmentKeys });
  }

  /** An active text campaign keeps what it texts with: its initial message, and a number or messaging service. */
  private assertStillTextable(campaign: CampaignRecord, settings: CampaignSettingsRow): void {
    if (campaign.channel !== 'sms' || campaign.status !== 'active') return;
    const missing = textingReadinessProblems({
      sendingNumbers: settings.sendingNumbers ?? campaign.sendingNumbers,
      messagingServiceSid: settings.messagingServiceSid === undefined ? campaign.messagingServiceSid : settings.messagingServiceSid,
      initialMessage: settings.initialMessage === undefined ? campaign.initialMessage : settings.initialMessage,
    });
    if (missing.length === 0) return;
    throw new DomainException(
      DomainErrorCode.ValidationFailed,
      missing.map((each) => `${each.field}: the campaign is active, so ${each.problem}; pause it first to change that`).join('; '),
      { field: missing[0].field, fields: missing.map((each) => each.field) },
    );
  }

  /** The database refuses such a campaign too (a CHECK); here the owner learns which field to fill. */
  private assertIdentified(dialMode: DialMode, identificationMessage: string | null): void {
    const problem = identificationProblem(dialMode, identificationMessage);
    if (problem !== null) throw invalid('identificationMessage', problem);
  }

  private defaultOrganization(actor: CampaignActor): string | null {
    if (actor.allianceWide) return null;
    return actor.actingOrganizations.length === 1 ? actor.actingOrganizations[0].id : null;
  }

  private notFound(campaignId: string): never {
    throw new NotFoundDomainException('Campaign', campaignId);
  }
}

function invalid(field: string, message: string): DomainException {
  return new DomainException(DomainErrorCode.ValidationFailed, `${field}: ${message}`, { field });
}
