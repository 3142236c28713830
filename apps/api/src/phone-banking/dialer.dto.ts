import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DIAL_MODES } from '@app/campaigns';
import { type ComplianceReport, type DialerFigures, type DialerLiveStatus, COMPLIANCE_DEFAULT_DAYS, COMPLIANCE_MAX_DAYS } from '@app/dialer';

export class ComplianceWindowQueryDto {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: `Start of the window (inclusive): a date (midnight UTC) or a date-time with its offset. Default: ${COMPLIANCE_DEFAULT_DAYS} days before \`to\``,
  })
  @IsOptional()
  @IsString({ message: 'from must be a date such as 2026-11-01' })
  @MaxLength(40, { message: 'from must be a date such as 2026-11-01' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-01',
    description: `End of the window (exclusive), as \`from\`; at most ${COMPLIANCE_MAX_DAYS} days after it. Default: now`,
  })
  @IsOptional()
  @IsString({ message: 'to must be a date such as 2026-12-01' })
  @MaxLength(40, { message: 'to must be a date such as 2026-12-01' })
  to?: string;
}

export class ComplianceCheckDto {
  @ApiProperty({ description: 'Calls that broke the rule' })
  count!: number;

  @ApiProperty({ description: 'True when the count is zero, as the law requires' })
  ok!: boolean;
}

export class ComplianceChecksDto {
  @ApiProperty({ type: ComplianceCheckDto, description: 'Dials placed outside 08:00–21:00 in the voter’s own zone' })
  wrongWindowDials!: ComplianceCheckDto;

  @ApiProperty({ type: ComplianceCheckDto, description: 'Unanswered calls we ended before 15 s of ringing' })
  shortRings!: ComplianceCheckDto;

  @ApiProperty({ type: ComplianceCheckDto, description: 'Automatic dials to mobile or unknown-type numbers without consent' })
  automaticMobileDials!: ComplianceCheckDto;
}

export class AbandonmentFigureDto {
  @ApiProperty({ description: 'Live people who answered: judged human, bridged, or abandoned' })
  liveAnswers!: number;

  @ApiProperty({ description: 'Live people no volunteer took within 2 s of their greeting' })
  abandoned!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'abandoned ÷ live answers; null without live answers' })
  rate!: number | null;
}

export class ComplianceAbandonmentDto extends AbandonmentFigureDto {
  @ApiProperty({ example: 0.03, description: 'The law’s cap on the rate' })
  cap!: number;

  @ApiProperty({ description: 'At or under the cap' })
  ok!: boolean;
}

export class ComplianceEvidenceDto {
  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ format: 'date-time' })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'Exclusive' })
  to!: string;

  @ApiProperty()
  dials!: number;

  @ApiProperty({ description: 'Dials to voters of unknown zone, placed only while every US zone was inside 08:00–21:00' })
  unknownZoneDials!: number;

  @ApiProperty({ type: ComplianceAbandonmentDto })
  abandonment!: ComplianceAbandonmentDto;

  @ApiProperty({ type: ComplianceChecksDto, description: 'The three checks that must stay at zero' })
  checks!: ComplianceChecksDto;

  static of(report: ComplianceReport): ComplianceEvidenceDto {
    return { ...report, from: report.from.toISOString(), to: report.to.toISOString() };
  }
}

export class VolunteerStatesDto {
  @ApiProperty() ready!: number;
  @ApiProperty() talking!: number;
  @ApiProperty() wrapUp!: number;
  @ApiProperty({ description: 'Paused sessions' }) paused!: number;
  @ApiProperty({ description: 'In a calling session, not in the dialer yet (not ready)' }) signedIn!: number;
  @ApiProperty() total!: number;
}

export class LastHourFiguresDto {
  @ApiProperty() dials!: number;
  @ApiProperty({ description: 'Dials whose outcome is known (answered or ended): the rates’ denominator' }) settledDials!: number;
  @ApiProperty() answered!: number;
  @ApiProperty() liveAnswers!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'answered ÷ settled dials' }) answerRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'live answers ÷ settled dials' }) humanAnswerRate!: number | null;
  @ApiProperty({ type: AbandonmentFigureDto }) abandonment!: AbandonmentFigureDto;
  @ApiProperty({ description: 'Contact attempts with a conversational disposition (contacted, refused, do not call)' }) conversations!: number;
  @ApiProperty({ description: 'Signed-in, unpaused volunteer time' }) volunteerHours!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Null under three minutes of volunteer time' }) conversationsPerVolunteerHour!: number | null;
}

export class DialerFiguresDto {
  @ApiProperty({ type: VolunteerStatesDto }) volunteers!: VolunteerStatesDto;
  @ApiProperty({ description: 'Dialer lines no volunteer has yet (queued, ringing, a person waiting)' }) linesInFlight!: number;
  @ApiProperty({ type: LastHourFiguresDto }) lastHour!: LastHourFiguresDto;

  static of(figures: DialerFigures): DialerFiguresDto {
    return figures;
  }
}

export class DialerPoolDto extends DialerFiguresDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() organizationName!: string;
}

export class ThirtyDayAbandonmentDto extends AbandonmentFigureDto {
  @ApiProperty({ description: 'At or under the cap' }) ok!: boolean;
}

export class LiveAbandonmentDto {
  @ApiProperty({ example: 0.03 }) cap!: number;
  @ApiProperty({ type: AbandonmentFigureDto }) lastHour!: AbandonmentFigureDto;
  @ApiProperty({ type: ThirtyDayAbandonmentDto }) thirtyDays!: ThirtyDayAbandonmentDto;
}

export class DialerLiveStatusDto {
  @ApiProperty({ format: 'uuid' }) campaignId!: string;
  @ApiProperty({ enum: DIAL_MODES }) dialMode!: string;
  @ApiProperty() campaignStatus!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: LiveAbandonmentDto, description: 'The whole campaign, every pool: what the law and the pacer count' }) abandonment!: LiveAbandonmentDto;
  @ApiProperty({ type: DialerFiguresDto, description: 'The pools shown, summed' }) totals!: DialerFiguresDto;
  @ApiProperty({ type: [DialerPoolDto], description: 'Per organization: those you serve (all for alliance admins)' }) pools!: DialerPoolDto[];

  static of(status: DialerLiveStatus): DialerLiveStatusDto {
    return { ...status, asOf: status.asOf.toISOString(), pools: [...status.pools] };
  }
}
