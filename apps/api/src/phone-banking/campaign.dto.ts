import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  type CampaignRecord,
  CAMPAIGN_CHANNELS,
  DEFAULT_RETRY_POLICY,
  DIAL_MODES,
  DIALER_SETTING_LIMITS,
  formatClockTime,
  LEGAL_ABANDON_RATE_CAP,
  MERGE_FIELDS,
  TEXTING_SETTING_LIMITS,
} from '@app/campaigns';
import { AllianceQueryDto } from '../auth/alliance-query.dto';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const LIMITS = DIALER_SETTING_LIMITS;
const TEXTING = TEXTING_SETTING_LIMITS;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const TEXT_BODY = `${TEXTING.template.minLength}–${TEXTING.template.maxLength} characters; merge fields as in call scripts (${MERGE_FIELDS.join(', ')}), e.g. {voter.first_name|there}`;

/** A number strictly between two bounds (class-validator's Min and Max include theirs; the database's CHECKs do not). */
function IsStrictlyBetween(low: number, high: number, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isStrictlyBetween', constraints: [low, high], validator: { validate: (value) => typeof value === 'number' && value > low && value < high } },
    options,
  );
}
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CallingWindowDto {
  @ApiPropertyOptional({ example: '09:00', description: 'Local time in the voter’s own zone; never before 08:00' })
  @IsOptional()
  @Matches(/^\d{2}:\d{2}$/, { message: 'callingWindow.start must be a time such as 09:00' })
  start?: string;

  @ApiPropertyOptional({ example: '20:30', description: 'Local time in the voter’s own zone; never after 21:00' })
  @IsOptional()
  @Matches(/^\d{2}:\d{2}$/, { message: 'callingWindow.end must be a time such as 20:30' })
  end?: string;
}

export class InitialMessageVariantDto {
  @ApiProperty({ example: 'fiscal_base', description: 'A segment of the alliance’s taxonomy; one variant per segment' })
  segmentKey!: string;

  @ApiProperty({
    example: 'Hi {voter.first_name|there}, it’s {volunteer.first_name}: the measure keeps your taxes in check. Will you vote yes?',
    description: TEXT_BODY,
  })
  template!: string;
}

export class InitialMessageDto {
  @ApiProperty({
    example: 'Hi {voter.first_name|there}, this is {volunteer.first_name} with {organization.name}. Can we count on your vote on Nov 3?',
    description: `The first text of each conversation, for voters no variant is for: ${TEXT_BODY}`,
  })
  template!: string;

  @ApiProperty({ type: [InitialMessageVariantDto], description: 'The wording for voters of one values segment; may be empty' })
  variants!: InitialMessageVariantDto[];
}

export class CannedResponseDto {
  @ApiProperty({
    example: 'wrong_number',
    description: 'Unique in the campaign: lower-case letters, digits and underscores, starting with a letter (at most 40)',
  })
  key!: string;

  @ApiProperty({
    example: 'Wrong number',
    description: `What the texter picks it by, ${TEXTING.cannedResponseTitle.minLength}–${TEXTING.cannedResponseTitle.maxLength} characters`,
  })
  title!: string;

  @ApiProperty({ example: 'Sorry to bother you, {voter.first_name|friend}! We’ll take this number off our list.', description: TEXT_BODY })
  body!: string;
}

export class CampaignSettingsDto {
  @ApiPropertyOptional({ example: 'Fall 2026 persuasion' })
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'The organization running it; null for an alliance-wide program (admins only)' })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string | null;

  @ApiPropertyOptional({ enum: CAMPAIGN_CHANNELS })
  @IsOptional()
  @IsIn(CAMPAIGN_CHANNELS, { message: `channel must be one of ${CAMPAIGN_CHANNELS.join(', ')}` })
  channel?: (typeof CAMPAIGN_CHANNELS)[number];

  @ApiPropertyOptional({
    enum: DIAL_MODES,
    description: 'preview: a volunteer clicks to call; power: lines per ready volunteer; predictive: the dialer paces (needs identificationMessage)',
  })
  @IsOptional()
  @IsIn(DIAL_MODES, { message: `dialMode must be one of ${DIAL_MODES.join(', ')}` })
  dialMode?: (typeof DIAL_MODES)[number];

  @ApiPropertyOptional({ type: [String], example: ['+14155550123'], description: 'Numbers calls come from, in E.164' })
  @IsOptional()
  @IsArray({ message: 'callerIds must be a list of phone numbers' })
  @ArrayMaxSize(50, { message: 'callerIds may hold at most 50 numbers' })
  @IsString({ each: true, message: 'callerIds must be a list of phone numbers' })
  callerIds?: string[];

  @ApiPropertyOptional({ type: CallingWindowDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CallingWindowDto)
  callingWindow?: CallingWindowDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: DEFAULT_RETRY_POLICY, description: 'Per disposition: delayMinutes, maxAttempts' })
  @IsOptional()
  @IsObject({ message: 'retryPolicy must be an object keyed by disposition' })
  retryPolicy?: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, example: 5000 })
  @IsOptional()
  @IsInt({ message: 'contactTarget must be a whole number' })
  @Min(1, { message: 'contactTarget must be at least 1' })
  @Max(100_000_000, { message: 'contactTarget is too large' })
  contactTarget?: number | null;

  @ApiPropertyOptional({ nullable: true, example: '2026-09-01' })
  @IsOptional()
  @Matches(DATE, { message: 'startsOn must be a date such as 2026-09-01' })
  @IsDateString({}, { message: 'startsOn must be a real date' })
  startsOn?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '2026-11-03' })
  @IsOptional()
  @Matches(DATE, { message: 'endsOn must be a date such as 2026-11-03' })
  @IsDateString({}, { message: 'endsOn must be a real date' })
  endsOn?: string | null;

  @ApiPropertyOptional({
    example: 1,
    description: 'This campaign’s share of the carrier account’s calls per second (Twilio’s default is 1); above 0, at most 100',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'callsPerSecond must be a number' })
  @IsStrictlyBetween(LIMITS.callsPerSecond.min, Number.POSITIVE_INFINITY, { message: 'callsPerSecond must be more than 0' })
  @Max(LIMITS.callsPerSecond.max, { message: 'callsPerSecond must be at most 100' })
  callsPerSecond?: number;

  @ApiPropertyOptional({ example: 1, description: 'Power mode: lines dialed per ready volunteer, 1 to 4' })
  @IsOptional()
  @IsInt({ message: 'powerLinesPerVolunteer must be a whole number' })
  @Min(LIMITS.powerLinesPerVolunteer.min, { message: 'powerLinesPerVolunteer must be at least 1' })
  @Max(LIMITS.powerLinesPerVolunteer.max, { message: 'powerLinesPerVolunteer must be at most 4' })
  powerLinesPerVolunteer?: number;

  @ApiPropertyOptional({ example: 8, description: 'Predictive: the most lines per available volunteer, 1 to 20' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'maxLinesPerVolunteer must be a number' })
  @Min(LIMITS.maxLinesPerVolunteer.min, { message: 'maxLinesPerVolunteer must be at least 1' })
  @Max(LIMITS.maxLinesPerVolunteer.max, { message: 'maxLinesPerVolunteer must be at most 20' })
  maxLinesPerVolunteer?: number;

  @ApiPropertyOptional({
    example: 0.025,
    description: 'Where the abandonment controller aims, as a share of live answers: above 0 and below 0.03 (the legal cap is 3% over 30 days)',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'abandonRateTarget must be a number' })
  @IsStrictlyBetween(0, LEGAL_ABANDON_RATE_CAP, {
    message: 'abandonRateTarget must be above 0 and below 0.03 (the law caps abandoned calls at 3% of live answers)',
  })
  abandonRateTarget?: number;

  @ApiPropertyOptional({
    nullable: true,
    example: 'This was Fresno Neighbors calling about the election. Call us back at 559-555-0100.',
    description: 'Played to a person no volunteer could take in time: who called and a number to call back. 10–500 characters; required for predictive',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'identificationMessage must be text' })
  @MaxLength(LIMITS.identificationMessage.maxLength, { message: 'identificationMessage must be at most 500 characters' })
  identificationMessage?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'Left on answering machines, 10–1000 characters; null hangs up on them' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'voicemailMessage must be text' })
  @MaxLength(LIMITS.voicemailMessage.maxLength, { message: 'voicemailMessage must be at most 1000 characters' })
  voicemailMessage?: string | null;

  // Texting (sms campaigns only). The lists' and the message's insides are checked by the campaign
  // library, which names each problem by its path (`initialMessage.variants[1].template`).

  @ApiPropertyOptional({
    type: [String],
    example: ['+14155550123'],
    description: `Text campaigns: our numbers texts come from, in E.164, each once, at most ${TEXTING.sendingNumbers.max}; [] for none`,
  })
  @IsOptional()
  @IsArray({ message: 'sendingNumbers must be a list of phone numbers' })
  @ArrayMaxSize(TEXTING.sendingNumbers.max, { message: `sendingNumbers may hold at most ${TEXTING.sendingNumbers.max} numbers` })
  @IsString({ each: true, message: 'sendingNumbers must be a list of phone numbers' })
  sendingNumbers?: string[];

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'MG0123456789abcdef0123456789abcdef',
    description: 'Text campaigns: a Twilio Messaging Service (MG and 32 hexadecimal digits) that picks the sending number; null for none',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(MESSAGING_SERVICE_SID, { message: 'messagingServiceSid must be a Messaging Service SID: MG and 32 hexadecimal digits' })
  messagingServiceSid?: string | null;

  @ApiPropertyOptional({
    type: InitialMessageDto,
    nullable: true,
    description: 'Text campaigns: the first text, with per-segment variants; needed to activate',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsObject({ message: 'initialMessage must be an object with template and variants' })
  initialMessage?: InitialMessageDto | null;

  @ApiPropertyOptional({
    type: [CannedResponseDto],
    description: `Text campaigns: replies a texter sends with a click, at most ${TEXTING.cannedResponses.max}; [] for none`,
  })
  @IsOptional()
  @IsArray({ message: 'cannedResponses must be a list of { key, title, body }' })
  @ArrayMaxSize(TEXTING.cannedResponses.max, { message: `cannedResponses may hold at most ${TEXTING.cannedResponses.max} responses` })
  cannedResponses?: CannedResponseDto[];

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    example: 30,
    description: 'Text campaigns: skip phones another campaign of the alliance texted within this many days (1–365); null for no suppression',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'suppressTextedWithinDays must be a whole number of days' })
  @Min(TEXTING.suppressTextedWithinDays.min, { message: 'suppressTextedWithinDays must be at least 1 day' })
  @Max(TEXTING.suppressTextedWithinDays.max, { message: 'suppressTextedWithinDays must be at most 365 days' })
  suppressTextedWithinDays?: number | null;
}

export class CreateCampaignDto extends CampaignSettingsDto {
  @ApiPropertyOptional({ description: 'The alliance, by slug; needed only by members of several' })
  @IsOptional()
  @IsString()
  alliance?: string;

  @ApiProperty({ example: 'fall-2026' })
  @Matches(SLUG, { message: 'slug must be lower-case letters, digits and dashes (at most 63), starting with a letter or digit' })
  slug!: string;

  @ApiProperty({ example: 'Fall 2026 persuasion' })
  @IsString({ message: 'name must be text' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  declare name: string;
}

export class CampaignStatusDto {
  @ApiProperty({ enum: ['active', 'paused', 'finished'] })
  @IsIn(['active', 'paused', 'finished'], { message: 'status must be active, paused or finished' })
  status!: 'active' | 'paused' | 'finished';
}

export class CampaignScriptDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: '{ startStepId, steps: [{ id, title, text, variants?, questionKey?, branches?, next? }] }',
  })
  @IsObject({ message: 'script must be an object' })
  script!: Record<string, unknown>;

  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: '[{ key, kind: single_choice|scale|free_text|values, prompt, choices?, valuesQuestionKey? }]',
  })
  @IsArray({ message: 'surveyQuestions must be a list' })
  surveyQuestions!: unknown[];
}

export class ScriptPreviewDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The script to preview; the saved one when absent' })
  @IsOptional()
  @IsObject({ message: 'script must be an object' })
  script?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } })
  @IsOptional()
  @IsArray({ message: 'surveyQuestions must be a list' })
  surveyQuestions?: unknown[];

  @ApiPropertyOptional({ description: 'The values segment to preview the variants of' })
  @IsOptional()
  @IsString({ message: 'segmentKey must be text' })
  segmentKey?: string;
}

export class CampaignListQueryDto extends AllianceQueryDto {}

export class CampaignDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId!: string | null;
  @ApiProperty({ enum: CAMPAIGN_CHANNELS }) channel!: string;
  @ApiProperty({ enum: DIAL_MODES }) dialMode!: string;
  @ApiProperty({ enum: ['draft', 'active', 'paused', 'finished'] }) status!: string;
  @ApiProperty({ type: [String] }) callerIds!: readonly string[];
  @ApiProperty({ type: CallingWindowDto }) callingWindow!: { start: string; end: string };
  @ApiProperty({ type: 'object', additionalProperties: true }) retryPolicy!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: Number }) contactTarget!: number | null;
  @ApiProperty({ nullable: true, type: String }) startsOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) endsOn!: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) script!: unknown;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) surveyQuestions!: unknown;
  @ApiProperty() scriptVersion!: number;
  @ApiProperty() callsPerSecond!: number;
  @ApiProperty() powerLinesPerVolunteer!: number;
  @ApiProperty() maxLinesPerVolunteer!: number;
  @ApiProperty() abandonRateTarget!: number;
  @ApiProperty({ nullable: true, type: String }) identificationMessage!: string | null;
  @ApiProperty({ nullable: true, type: String }) voicemailMessage!: string | null;
  @ApiProperty({ type: [String], description: 'E.164; empty on a phone campaign' }) sendingNumbers!: readonly string[];
  @ApiProperty({ nullable: true, type: String }) messagingServiceSid!: string | null;
  @ApiProperty({ type: InitialMessageDto, nullable: true }) initialMessage!: InitialMessageDto | null;
  @ApiProperty({ type: [CannedResponseDto] }) cannedResponses!: readonly CannedResponseDto[];
  @ApiProperty({ nullable: true, type: Number }) suppressTextedWithinDays!: number | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(campaign: CampaignRecord): CampaignDto {
    return {
      id: campaign.id,
      slug: campaign.slug,
      name: campaign.name,
      organizationId: campaign.organizationId,
      channel: campaign.channel,
      dialMode: campaign.dialMode,
      status: campaign.status,
      callerIds: campaign.callerIds,
      callingWindow: { start: formatClockTime(campaign.callingWindow.startMinute), end: formatClockTime(campaign.callingWindow.endMinute) },
      retryPolicy: { ...DEFAULT_RETRY_POLICY, ...campaign.retryPolicy },
      contactTarget: campaign.contactTarget,
      startsOn: campaign.startsOn,
      endsOn: campaign.endsOn,
      script: campaign.script,
      surveyQuestions: campaign.surveyQuestions,
      scriptVersion: campaign.scriptVersion,
      callsPerSecond: campaign.callsPerSecond,
      powerLinesPerVolunteer: campaign.powerLinesPerVolunteer,
      maxLinesPerVolunteer: campaign.maxLinesPerVolunteer,
      abandonRateTarget: campaign.abandonRateTarget,
      identificationMessage: campaign.identificationMessage,
      voicemailMessage: campaign.voicemailMessage,
      sendingNumbers: campaign.sendingNumbers,
      messagingServiceSid: campaign.messagingServiceSid,
      initialMessage:
        campaign.initialMessage === null
          ? null
          : { template: campaign.initialMessage.template, variants: campaign.initialMessage.variants.map((variant) => ({ ...variant })) },
      cannedResponses: campaign.cannedResponses.map((response) => ({ ...response })),
      suppressTextedWithinDays: campaign.suppressTextedWithinDays,
      createdAt: campaign.createdAt,
      updatedAt: campaign.updatedAt,
    };
  }
}

export class CampaignListDto {
  @ApiProperty({ type: [CampaignDto] }) campaigns!: CampaignDto[];
}

export class CallListCountsDto {
  @ApiProperty({ description: 'Phones on the call list (a household sharing one counts once)' }) total!: number;
  @ApiProperty({ description: 'Still to call, now or after a retry delay' }) open!: number;
  @ApiProperty() done!: number;
  @ApiPropertyOptional({ description: 'Added by this refresh' }) added?: number;
}

export class LineTypeCountsDto {
  @ApiProperty() landline!: number;
  @ApiProperty() mobile!: number;
  @ApiProperty() voip!: number;
  @ApiProperty() unknown!: number;
  @ApiProperty({ description: 'No line type (not looked up yet, or the lookup failed): treated as unknown' }) notKnown!: number;
}

export class LineTypeProgressDto {
  @ApiProperty({ description: 'Phones on the call list' }) total!: number;
  @ApiProperty({ description: 'Line type from the voter file, kept as it is' }) fromVoterFile!: number;
  @ApiProperty({ description: 'Looked up with the carrier' }) lookedUp!: number;
  @ApiProperty({ description: 'The carrier could not tell: left unknown, dialed only on a volunteer’s or clicker’s action' }) failed!: number;
  @ApiProperty({ description: 'Still to look up' }) pending!: number;
  @ApiProperty({ type: LineTypeCountsDto }) byLineType!: LineTypeCountsDto;
}
