import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { Disposition, DISPOSITION_DETAILS, type RenderedScriptStep } from '@app/campaigns';
import type { CallCard, CallingSessionRecord, CallingSessionStats, CallRecord, NextVoterResult, SavedAttempt } from '@app/contacts';

export class SessionParamsDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class SessionCallParamsDto extends SessionParamsDto {
  @IsUUID('all', { message: 'callId must be a UUID' })
  callId!: string;
}

export class StartSessionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'campaignId must be a UUID' })
  campaignId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The organization you call for; needed only when you could call for several' })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string;
}

export class SessionStatusDto {
  @ApiProperty({ enum: ['active', 'paused', 'ended'] })
  @IsIn(['active', 'paused', 'ended'], { message: 'status must be active, paused or ended' })
  status!: 'active' | 'paused' | 'ended';
}

export class LeaseDto {
  @ApiProperty({ format: 'uuid', description: 'The lease the call card came with' })
  @IsUUID('all', { message: 'leaseId must be a UUID' })
  leaseId!: string;
}

export class SurveyAnswerDto {
  @ApiProperty({ example: 'open_to_reform' })
  @IsString({ message: 'questionKey must be text' })
  @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'questionKey must be a question key' })
  questionKey!: string;

  @ApiProperty({ example: '4' })
  @IsString({ message: 'answer must be text' })
  @Length(1, 1000, { message: 'answer must be 1 to 1000 characters' })
  answer!: string;
}

export class DispositionDto extends LeaseDto {
  @ApiProperty({ enum: Object.values(Disposition) })
  @IsIn(Object.values(Disposition), { message: `disposition must be one of ${Object.values(Disposition).join(', ')}` })
  disposition!: Disposition;

  @ApiPropertyOptional({ type: [SurveyAnswerDto] })
  @IsOptional()
  @IsArray({ message: 'answers must be a list' })
  @ArrayMaxSize(50, { message: 'answers may hold at most 50 answers' })
  @ValidateNested({ each: true })
  @Type(() => SurveyAnswerDto)
  answers?: SurveyAnswerDto[];

  @ApiPropertyOptional({ description: 'For call_back: when to call, ISO-8601', example: '2026-11-24T18:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'callBackAt must be a date and time such as 2026-11-24T18:00:00Z' })
  callBackAt?: Date;

  @ApiPropertyOptional({ description: 'Power and predictive campaigns: take the next call once this is saved (default true); false leaves the dialer' })
  @IsOptional()
  @IsBoolean({ message: 'readyForNext must be true or false' })
  readyForNext?: boolean;
}

export class DialerStateDto {
  @ApiProperty({ enum: ['ready', 'not-ready'], description: 'ready: the dialer may connect you with voters; not-ready: it stops (finish a call first)' })
  @IsIn(['ready', 'not-ready'], { message: 'state must be ready or not-ready' })
  state!: 'ready' | 'not-ready';
}

export class CallingSessionStatsDto {
  @ApiProperty() calls!: number;
  @ApiProperty() attempts!: number;
  @ApiProperty({ description: 'Attempts whose disposition was a conversation with the voter' }) conversations!: number;
  @ApiProperty() talkSeconds!: number;
  @ApiProperty() activeSeconds!: number;
}

export class CallingSessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: ['active', 'paused', 'ended'] }) status!: string;
  @ApiProperty() startedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) endedAt!: Date | null;
  @ApiProperty({
    enum: ['ready', 'talking', 'wrap-up', 'leaving'],
    nullable: true,
    type: String,
    description:
      'Power and predictive campaigns: where the dialer has you; leaving: you asked to stop while calls dialed for you still ring; null when you are not taking calls',
  })
  dialerState!: string | null;
  @ApiPropertyOptional({ type: CallingSessionStatsDto }) stats?: CallingSessionStatsDto;

  static of(session: CallingSessionRecord, stats?: CallingSessionStats): CallingSessionDto {
    return {
      id: session.id,
      campaignId: session.campaignId,
      organizationId: session.organizationId,
      status: session.status,
      startedAt: session.startedAt,
      endedAt: session.endedAt,
      dialerState: session.dialerState,
      ...(stats === undefined ? {} : { stats }),
    };
  }
}

export class CallDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) leaseId!: string;
  @ApiProperty({ description: 'created, requesting, queued, initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled' }) status!: string;
  @ApiProperty({ nullable: true, type: String }) answeredBy!: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'When the voter (or a machine) picked up' }) answeredAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number }) durationSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String }) errorMessage!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) endedAt!: Date | null;

  static of(call: CallRecord): CallDto {
    return {
      id: call.id,
      leaseId: call.leaseId,
      status: call.status,
      answeredBy: call.answeredBy,
      answeredAt: call.answeredAt,
      durationSeconds: call.durationSeconds,
      errorMessage: call.errorMessage,
      createdAt: call.createdAt,
      endedAt: call.endedAt,
    };
  }
}

export class RenderedStepDto {
  @ApiProperty() stepId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ nullable: true, type: String }) variantSegmentKey!: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) question!: unknown;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) branches!: unknown;
  @ApiProperty({ nullable: true, type: String }) next!: string | null;
}

export class ScriptPreviewResponseDto {
  @ApiProperty() startStepId!: string;
  @ApiProperty({ type: [RenderedStepDto] }) steps!: RenderedScriptStep[];
  @ApiProperty({ type: [String] }) segmentKeys!: string[];
}

export class DispositionOptionDto {
  @ApiProperty() value!: string;
  @ApiProperty() label!: string;
  @ApiProperty() shortcutKey!: string;
  @ApiProperty() isConversation!: boolean;
}

export const DISPOSITION_OPTIONS: DispositionOptionDto[] = Object.values(Disposition).map((value) => ({
  value,
  label: DISPOSITION_DETAILS[value].label,
  shortcutKey: DISPOSITION_DETAILS[value].shortcutKey,
  isConversation: DISPOSITION_DETAILS[value].isConversation,
}));

export class CallCardDto {
  @ApiProperty({ format: 'uuid' }) leaseId!: string;
  @ApiProperty() leasedUntil!: Date;
  @ApiProperty({ description: 'Earlier attempts on this voter in this campaign' }) attempts!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'id, firstName, lastName, age, city, householdSize' }) voter!: CallCard['voter'];
  @ApiProperty() phoneLastDigits!: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'key, name, colour, probability' }) segment!: CallCard['segment'];
  @ApiProperty({ type: ScriptPreviewResponseDto }) script!: CallCard['script'];
  @ApiProperty({ type: CallDto, nullable: true }) call!: CallDto | null;
  @ApiProperty({ type: [DispositionOptionDto] }) dispositions!: DispositionOptionDto[];
}

export class NextVoterDto {
  @ApiProperty({ enum: ['card', 'none'] }) kind!: 'card' | 'none';
  @ApiPropertyOptional({ type: CallCardDto }) card?: CallCardDto;
  @ApiPropertyOptional({ enum: ['campaign_not_active', 'session_not_active', 'outside_calling_window', 'no_voters_left', 'waiting_for_dialer'] })
  reason?: string;
  @ApiPropertyOptional() message?: string;

  static of(result: NextVoterResult): NextVoterDto {
    if (result.kind === 'none') return { kind: 'none', reason: result.reason, message: result.message };
    const { card } = result;
    return { kind: 'card', card: { ...card, call: card.call === null ? null : CallDto.of(card.call), dispositions: DISPOSITION_OPTIONS } };
  }
}

export class SavedAttemptDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() disposition!: string;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ nullable: true, type: Date }) callBackAt!: Date | null;
  @ApiProperty({ type: [SurveyAnswerDto] }) answers!: { questionKey: string; answer: string }[];
  @ApiProperty({ description: 'The attempt was already saved (a retry or double click); nothing changed' }) repeated!: boolean;

  static of(saved: SavedAttempt): SavedAttemptDto {
    return {
      id: saved.attempt.id,
      disposition: saved.attempt.disposition,
      outcome: saved.attempt.outcome,
      callBackAt: saved.attempt.callBackAt,
      answers: [...saved.responses],
      repeated: saved.repeated,
    };
  }
}

export class VoiceAccessDto {
  @ApiProperty({ enum: ['twilio-voice-sdk', 'simulated'] }) kind!: string;
  @ApiProperty() identity!: string;
  @ApiPropertyOptional() token?: string;
  @ApiPropertyOptional() expiresInSeconds?: number;
}
