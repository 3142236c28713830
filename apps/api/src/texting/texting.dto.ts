import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import type { MessageRecord } from '@app/messaging';
import {
  ASSIGNMENT_COUNT,
  type AssignmentResult,
  type ClosedConversation,
  CONVERSATION_PAGE,
  type ConversationDetail,
  type ConversationPage,
  type NextInitialResult,
  OUTBOUND_STATUSES,
  type SentText,
  TEXTING_DISPOSITIONS,
  type TextingFigures,
  type TextingStats,
  UNMATCHED_PAGE,
  type UnmatchedPage,
} from '@app/messaging';
import { SurveyAnswerDto } from '../phone-banking/calling.dto';

const CONVERSATION_STATUSES = ['needs_message', 'needs_response', 'messaged', 'closed'] as const;

export class CampaignParamsDto {
  @IsUUID('all', { message: 'campaignId must be a UUID' })
  campaignId!: string;
}

export class ConversationParamsDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class AssignmentRequestDto {
  @ApiPropertyOptional({ minimum: ASSIGNMENT_COUNT.min, maximum: ASSIGNMENT_COUNT.max, default: ASSIGNMENT_COUNT.default })
  @IsOptional()
  @IsInt({ message: `count must be a whole number from ${ASSIGNMENT_COUNT.min} to ${ASSIGNMENT_COUNT.max}` })
  @Min(ASSIGNMENT_COUNT.min, { message: `count must be a whole number from ${ASSIGNMENT_COUNT.min} to ${ASSIGNMENT_COUNT.max}` })
  @Max(ASSIGNMENT_COUNT.max, { message: `count must be a whole number from ${ASSIGNMENT_COUNT.min} to ${ASSIGNMENT_COUNT.max}` })
  count?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The organization you text for; needed only in an alliance-wide program when you could text for several',
  })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a UUID' })
  organizationId?: string;
}

export class AssignmentDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null when nobody was left to assign' }) assignmentId!: string | null;
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() requestedCount!: number;
  @ApiProperty({ description: 'Contacts assigned now; fewer than requested when the list is running out' }) assignedCount!: number;
  @ApiProperty({ description: 'Your conversations waiting for their first text' }) needsMessage!: number;

  static of(result: AssignmentResult): AssignmentDto {
    return { ...result };
  }
}

export class TextingVoterDto {
  @ApiProperty({ nullable: true, type: String }) firstName!: string | null;
  @ApiProperty({ example: '0123', description: 'The last four digits only' }) phoneLastDigits!: string;
}

export class NextInitialDto {
  @ApiProperty({ enum: ['conversation', 'none'] }) kind!: 'conversation' | 'none';
  @ApiPropertyOptional({ format: 'uuid' }) conversationId?: string;
  @ApiPropertyOptional({ type: TextingVoterDto }) voter?: TextingVoterDto;
  @ApiPropertyOptional({ description: 'The text exactly as it will be sent' }) body?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The values segment whose variant was used; null for the base template' })
  segmentKey?: string | null;
  @ApiPropertyOptional({ description: 'Your conversations waiting for their first text, this one included' }) waiting?: number;
  @ApiPropertyOptional({ enum: ['campaign_not_active', 'none_assigned'] }) reason?: string;
  @ApiPropertyOptional() message?: string;

  static of(result: NextInitialResult): NextInitialDto {
    return { ...result };
  }
}

export class TextMessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) conversationId!: string;
  @ApiProperty({ enum: ['initial', 'reply'] }) kind!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ description: 'created, held, requesting, accepted, queued, sending, sent, delivered, undelivered, failed, canceled' }) status!: string;
  @ApiProperty({ nullable: true, type: String }) segmentKey!: string | null;
  @ApiProperty() createdAt!: Date;

  static of(message: MessageRecord): TextMessageDto {
    return {
      id: message.id,
      conversationId: message.conversationId!,
      kind: message.kind,
      body: message.body,
      status: message.status,
      segmentKey: message.segmentKey,
      createdAt: message.createdAt,
    };
  }
}

export class SentTextDto {
  @ApiProperty({ type: TextMessageDto }) message!: TextMessageDto;
  @ApiProperty({ description: 'True when this request found the text already written (a double click or a retry)' }) repeated!: boolean;
  @ApiProperty({
    nullable: true,
    type: Date,
    description: 'Outside the voter’s texting window the text is accepted and held until then; null when it goes now',
  })
  heldUntil!: Date | null;

  static of(sent: SentText): SentTextDto {
    return { message: TextMessageDto.of(sent.message), repeated: sent.repeated, heldUntil: sent.heldUntil };
  }
}

export class ConversationsQueryDto {
  @ApiPropertyOptional({ enum: CONVERSATION_STATUSES, default: 'needs_response' })
  @IsOptional()
  @IsIn(CONVERSATION_STATUSES, { message: `status must be one of ${CONVERSATION_STATUSES.join(', ')}` })
  status?: (typeof CONVERSATION_STATUSES)[number];

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor of a previous page' })
  @Length(1, 200, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: CONVERSATION_PAGE.max, default: CONVERSATION_PAGE.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${CONVERSATION_PAGE.max}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${CONVERSATION_PAGE.max}` })
  @Max(CONVERSATION_PAGE.max, { message: `limit must be a whole number from 1 to ${CONVERSATION_PAGE.max}` })
  limit?: number;
}

export class LastMessageDto {
  @ApiProperty({ enum: ['outbound', 'inbound'] }) direction!: string;
  @ApiProperty() body!: string;
  @ApiProperty() createdAt!: Date;
}

export class ConversationSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String }) closedReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) firstName!: string | null;
  @ApiProperty({ example: '0123' }) phoneLastDigits!: string;
  @ApiProperty({ nullable: true, type: Date }) lastInboundAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastOutboundAt!: Date | null;
  @ApiProperty() updatedAt!: Date;
  @ApiProperty({ nullable: true, type: LastMessageDto }) lastMessage!: LastMessageDto | null;
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationSummaryDto], description: 'Least recently changed first: the longest-waiting reply on top' })
  items!: ConversationSummaryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last' }) nextCursor!: string | null;

  static of(page: ConversationPage): ConversationPageDto {
    return { items: page.items.map((item) => ({ ...item })), nextCursor: page.nextCursor };
  }
}

export class ConversationMessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['outbound', 'inbound'] }) direction!: string;
  @ApiProperty({ description: 'initial, reply, help_reply, opt_out_reply, opt_in_reply or inbound' }) kind!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ description: 'An outbound text’s status; received for inbound' }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The carrier’s error code of a failed or undelivered text' }) errorCode!: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'A held text: not before this' }) sendAfter!: Date | null;
  @ApiProperty() createdAt!: Date;
}

export class CannedResponseDto {
  @ApiProperty() key!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'Merge fields filled for this voter' }) body!: string;
}

export class ClosedAttemptDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() disposition!: string;
  @ApiProperty({ type: [SurveyAnswerDto] }) answers!: SurveyAnswerDto[];
}

export class ConversationDetailDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'texter, opted_out, undeliverable, invalid_number, not_mobile, suppressed, window' })
  closedReason!: string | null;
  @ApiProperty({ type: TextingVoterDto }) voter!: TextingVoterDto;
  @ApiProperty({ description: 'The phone opted out of texts: no reply can be sent' }) optedOut!: boolean;
  @ApiProperty({ type: [ConversationMessageDto], description: 'Every text in and out, oldest first' }) messages!: ConversationMessageDto[];
  @ApiProperty({ type: [CannedResponseDto] }) cannedResponses!: CannedResponseDto[];
  @ApiProperty({ description: 'The campaign’s survey questions, to tag the conversation with at close', type: 'array', items: { type: 'object' } })
  surveyQuestions!: unknown[];
  @ApiProperty({ nullable: true, type: ClosedAttemptDto, description: 'What closing recorded; null while open' }) attempt!: ClosedAttemptDto | null;

  static of(detail: ConversationDetail): ConversationDetailDto {
    return {
      ...detail,
      messages: detail.messages.map((message) => ({ ...message })),
      cannedResponses: detail.cannedResponses.map((response) => ({ ...response })),
      surveyQuestions: [...detail.surveyQuestions],
      attempt: detail.attempt === null ? null : { ...detail.attempt, answers: detail.attempt.answers.map((answer) => ({ ...answer })) },
    };
  }
}

export class ReplyDto {
  @ApiProperty({ minLength: 1, maxLength: 1600 })
  @IsString({ message: 'body must be text' })
  @Length(1, 1600, { message: 'body must be 1 to 1,600 characters' })
  body!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The console’s id for this send (a UUID it makes once per click): a retry with the same key sends nothing twice',
  })
  @IsUUID('all', { message: 'clientKey must be a UUID' })
  clientKey!: string;
}

export class CloseConversationDto {
  @ApiPropertyOptional({ type: [SurveyAnswerDto] })
  @IsOptional()
  @IsArray({ message: 'answers must be a list' })
  @ArrayMaxSize(50, { message: 'answers may hold at most 50 answers' })
  @ValidateNested({ each: true })
  @Type(() => SurveyAnswerDto)
  answers?: SurveyAnswerDto[];

  @ApiPropertyOptional({
    enum: TEXTING_DISPOSITIONS,
    description: 'Default: replied when the voter wrote back, else texted; do_not_call puts the phone on the do-not-call list, wrong_number marks it wrong',
  })
  @IsOptional()
  @IsIn(TEXTING_DISPOSITIONS, { message: `disposition must be one of ${TEXTING_DISPOSITIONS.join(', ')}` })
  disposition?: (typeof TEXTING_DISPOSITIONS)[number];
}

export class ClosedConversationDto {
  @ApiProperty({ format: 'uuid' }) conversationId!: string;
  @ApiProperty({ format: 'uuid' }) attemptId!: string;
  @ApiProperty() disposition!: string;
  @ApiProperty({ type: [SurveyAnswerDto] }) answers!: SurveyAnswerDto[];
  @ApiProperty({ description: 'True when the conversation was already closed with these answers (a retry)' }) repeated!: boolean;

  static of(closed: ClosedConversation): ClosedConversationDto {
    return { ...closed, answers: closed.answers.map((answer) => ({ ...answer })) };
  }
}

export class ContactFiguresDto {
  @ApiProperty({ description: 'Call-list rows (one per phone)' }) total!: number;
  @ApiProperty({ description: 'Handed to texters as conversations' }) assigned!: number;
  @ApiProperty({ description: 'Initial texts written (each sent by a texter’s click)' }) initialSent!: number;
}

export class FailureCountDto {
  @ApiProperty({ enum: ['failed', 'undelivered'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, example: '30006' }) errorCode!: string | null;
  @ApiProperty() count!: number;
}

export class TextingFiguresDto {
  @ApiProperty({ type: ContactFiguresDto }) contacts!: ContactFiguresDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: `Outbound texts by status; always ${OUTBOUND_STATUSES.join(', ')}, and accepted, queued, sending when texts are in them`,
  })
  outboundByStatus!: Record<string, number>;
  @ApiProperty({ type: [FailureCountDto], description: 'Failed and undelivered texts by carrier error code, most first' })
  failuresByErrorCode!: FailureCountDto[];
  @ApiProperty({ description: 'Inbound texts matched to the campaign’s conversations' }) replies!: number;
  @ApiProperty({ description: 'Conversations waiting for a texter’s reply' }) needsResponse!: number;
  @ApiProperty({ description: 'Phones that opted out of texts during their conversation' }) optOuts!: number;

  static of(figures: TextingFigures): TextingFiguresDto {
    return {
      contacts: { ...figures.contacts },
      outboundByStatus: { ...figures.outboundByStatus },
      failuresByErrorCode: figures.failuresByErrorCode.map((each) => ({ ...each })),
      replies: figures.replies,
      needsResponse: figures.needsResponse,
      optOuts: figures.optOuts,
    };
  }
}

export class OrganizationTextingFiguresDto extends TextingFiguresDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() organizationName!: string;
}

export class TextingStatsDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ enum: ['draft', 'active', 'paused', 'finished'] }) campaignStatus!: string;
  @ApiProperty() asOf!: Date;
  @ApiProperty({ type: TextingFiguresDto, description: 'The organizations below, summed' }) totals!: TextingFiguresDto;
  @ApiProperty({ type: [OrganizationTextingFiguresDto], description: 'Each organization you see' }) organizations!: OrganizationTextingFiguresDto[];

  static of(stats: TextingStats): TextingStatsDto {
    return {
      campaignId: stats.campaignId,
      campaignStatus: stats.campaignStatus,
      asOf: stats.asOf,
      totals: TextingFiguresDto.of(stats.totals),
      organizations: stats.organizations.map((each) => ({
        organizationId: each.organizationId,
        organizationName: each.organizationName,
        ...TextingFiguresDto.of(each),
      })),
    };
  }
}

export class UnmatchedQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString({ message: 'cursor must be the nextCursor of a previous page' })
  @Length(1, 200, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: UNMATCHED_PAGE.max, default: UNMATCHED_PAGE.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${UNMATCHED_PAGE.max}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${UNMATCHED_PAGE.max}` })
  @Max(UNMATCHED_PAGE.max, { message: `limit must be a whole number from 1 to ${UNMATCHED_PAGE.max}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'The alliance’s slug; needed only when you belong to several' })
  @IsOptional()
  @IsString({ message: 'alliance must be an alliance slug' })
  @Length(1, 64, { message: 'alliance must be an alliance slug' })
  alliance?: string;
}

export class UnmatchedTextDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '0123', description: 'The sender’s last four digits only' }) phoneLastDigits!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Our number it was sent to' }) ourNumber!: string | null;
  @ApiProperty() body!: string;
  @ApiProperty() receivedAt!: Date;
}

export class UnmatchedPageDto {
  @ApiProperty({ type: [UnmatchedTextDto], description: 'Newest first' }) items!: UnmatchedTextDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;

  static of(page: UnmatchedPage): UnmatchedPageDto {
    return { items: page.items.map((item) => ({ ...item })), nextCursor: page.nextCursor };
  }
}
