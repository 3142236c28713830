import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { OptOutEventRecord, PhoneOptOutState } from '@app/messaging';

export class OptOutAllianceQueryDto {
  @ApiPropertyOptional({ description: 'The alliance slug; may be left out when you belong to one alliance' })
  @IsOptional()
  @IsString({ message: 'alliance takes one value' })
  @MaxLength(63, { message: 'alliance must be at most 63 characters' })
  alliance?: string;
}

export class OptOutChangeDto {
  @ApiProperty({ description: 'Why (kept in the opt-out history): 5 to 500 characters', example: 'Voter called the office and asked to be texted again' })
  @IsString({ message: 'reason must be text' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason!: string;
}

export class OptOutEventDto {
  @ApiProperty({ description: 'A 64-bit integer, as text' }) id!: string;
  @ApiProperty({ enum: ['phone', 'sms', 'all'] }) channel!: string;
  @ApiProperty({ enum: ['opt_out', 'opt_in'] }) action!: string;
  @ApiProperty({ enum: ['keyword', 'carrier', 'admin', 'texter'] }) source!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) messageId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorUserId!: string | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() createdAt!: Date;

  static of(event: OptOutEventRecord): OptOutEventDto {
    return {
      id: event.id,
      channel: event.channel,
      action: event.action,
      source: event.source,
      messageId: event.messageId,
      actorUserId: event.actorUserId,
      reason: event.reason,
      createdAt: event.createdAt,
    };
  }
}

export class PhoneOptOutStateDto {
  @ApiProperty({ example: '+19195550123' }) phone!: string;
  @ApiProperty({ description: 'Whether texts to this phone are refused' }) optedOutOfTexts!: boolean;
  @ApiProperty({ type: [OptOutEventDto], description: 'Newest first' }) history!: OptOutEventDto[];

  static of(phone: string, state: PhoneOptOutState): PhoneOptOutStateDto {
    return { phone, optedOutOfTexts: state.optedOutOfTexts, history: state.history.map((event) => OptOutEventDto.of(event)) };
  }
}
