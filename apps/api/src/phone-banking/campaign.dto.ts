import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { type CampaignRecord, CAMPAIGN_CHANNELS, DEFAULT_RETRY_POLICY, DIAL_MODES, formatClockTime } from '@app/campaigns';
import { AllianceQueryDto } from '../auth/alliance-query.dto';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
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

  @ApiPropertyOptional({ enum: DIAL_MODES, description: 'preview (click to call) today; power and predictive come with the dialer' })
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
