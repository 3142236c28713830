import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  BREAKDOWN_DIMENSIONS,
  BREAKDOWN_LIMIT,
  PROGRESS_TABLES,
  type ProgressBreakdown,
  type ProgressSummary,
  TARGET_VOTERS,
  type BreakdownRow,
  type ProgressFigures,
} from '@app/contacts';
import { AllianceQueryDto } from '../auth/alliance-query.dto';

const SCOPE_DESCRIPTION = 'alliance, region:<anchor id> or organization:<id>; left out, the widest scope you may see';

export class ProgressScopeQueryDto extends AllianceQueryDto {
  @ApiPropertyOptional({ description: SCOPE_DESCRIPTION, example: 'alliance' })
  @IsOptional()
  @IsString({ message: 'scope takes one value' })
  @MaxLength(60, { message: 'scope must be at most 60 characters' })
  scope?: string;
}

export class ProgressBreakdownQueryDto extends ProgressScopeQueryDto {
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS })
  @IsIn(BREAKDOWN_DIMENSIONS, { message: `dimension must be one of ${BREAKDOWN_DIMENSIONS.join(', ')}` })
  dimension!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: BREAKDOWN_LIMIT.max, default: BREAKDOWN_LIMIT.default })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${BREAKDOWN_LIMIT.max}` })
  limit?: number;
}

export class ProgressExportQueryDto extends ProgressScopeQueryDto {
  @ApiProperty({ enum: PROGRESS_TABLES, description: 'A breakdown of the dashboard, or the burn-up' })
  @IsIn(PROGRESS_TABLES, { message: `table must be one of ${PROGRESS_TABLES.join(', ')}` })
  table!: string;
}

export class ContactResultsQueryDto extends ProgressScopeQueryDto {
  @ApiPropertyOptional({ description: "A campaign's slug; left out, every campaign" })
  @IsOptional()
  @IsString({ message: 'campaign takes one value' })
  @MaxLength(63, { message: 'campaign must be at most 63 characters' })
  campaign?: string;

  @ApiPropertyOptional({ description: 'First day (YYYY-MM-DD, the alliance’s reporting zone), inclusive', example: '2026-10-01' })
  @IsOptional()
  @IsString({ message: 'from takes one value' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day (YYYY-MM-DD), inclusive', example: '2026-11-03' })
  @IsOptional()
  @IsString({ message: 'to takes one value' })
  to?: string;
}

export class TargetScopeQueryDto extends AllianceQueryDto {
  @ApiPropertyOptional({ description: "An organization's slug (an anchor's target is its region's)" })
  @IsOptional()
  @IsString({ message: 'organization takes one value' })
  @MaxLength(63, { message: 'organization must be at most 63 characters' })
  organization?: string;

  @ApiPropertyOptional({ description: 'A county, as the voter file names it (any case)' })
  @IsOptional()
  @IsString({ message: 'county takes one value' })
  @MaxLength(100, { message: 'county must be at most 100 characters' })
  county?: string;
}

export class SetTargetDto extends TargetScopeQueryDto {
  @ApiProperty({ minimum: TARGET_VOTERS.min, maximum: TARGET_VOTERS.max, description: 'Unique voters to reach', example: 500_000 })
  @IsInt({ message: `voters must be a whole number from ${TARGET_VOTERS.min} to ${TARGET_VOTERS.max}` })
  voters!: number;

  @ApiProperty({ description: 'YYYY-MM-DD', example: '2026-11-03' })
  @IsString({ message: 'targetDate must be a date (YYYY-MM-DD)' })
  targetDate!: string;
}

export class ProgressScopeDto {
  @ApiProperty({ enum: ['alliance', 'region', 'organization'] }) kind!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String, description: "The organization's short name (a region's: its anchor's); null for the alliance" })
  slug!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) parentAnchorId!: string | null;
  @ApiProperty({ description: 'How to name it in `scope`' }) reference!: string;
}

export class ProgressFiguresDto {
  @ApiProperty() attempts!: number;
  @ApiProperty({ description: 'A phone conversation with a live voter, or a text conversation the voter replied in' }) conversations!: number;
  @ApiProperty() optOuts!: number;
  @ApiProperty() votersAttempted!: number;
  @ApiProperty({ description: 'Unique voters with a conversation (exact)' }) votersReached!: number;
  @ApiProperty({ description: 'Unique voters who answered 4–5 on the scale, or yes' }) openToReform!: number;
  @ApiProperty({ description: "An organization's: voters it reached that no other organization has" }) exclusiveReached!: number;
  @ApiProperty({ nullable: true, type: Number }) contactRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Calling-session time, less pauses' }) volunteerHours!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Phone conversations per volunteer hour' }) conversationsPerVolunteerHour!: number | null;

  static of(figures: ProgressFigures): ProgressFiguresDto {
    return {
      attempts: figures.attempts,
      conversations: figures.conversations,
      optOuts: figures.optOuts,
      votersAttempted: figures.votersAttempted,
      votersReached: figures.votersReached,
      openToReform: figures.openToReform,
      exclusiveReached: figures.exclusiveReached,
      contactRate: figures.contactRate,
      volunteerHours: figures.volunteerHours,
      conversationsPerVolunteerHour: figures.conversationsPerVolunteerHour,
    };
  }
}

export class ScopeTargetDto {
  @ApiProperty() voters!: number;
  @ApiProperty() targetDate!: string;
  @ApiProperty({ enum: ['target', 'alliance_goal'] }) source!: string;
}

export class BurnUpPointDto {
  @ApiProperty() day!: string;
  @ApiProperty() newlyReached!: number;
  @ApiProperty() reached!: number;
}

export class TargetProjectionDto {
  @ApiProperty() reached!: number;
  @ApiProperty() target!: number;
  @ApiProperty() targetDate!: string;
  @ApiProperty() recentPerDay!: number;
  @ApiProperty() windowDays!: number;
  @ApiProperty() projectedAtTargetDate!: number;
  @ApiProperty({ nullable: true, type: String }) projectedReachDate!: string | null;
  @ApiProperty({ nullable: true, type: Number }) requiredPerDay!: number | null;
  @ApiProperty() onTrack!: boolean;
}

export class ProgressSummaryDto {
  @ApiProperty() asOf!: Date;
  @ApiProperty() today!: string;
  @ApiProperty() reportingTimeZone!: string;
  @ApiProperty({ type: ProgressScopeDto }) scope!: ProgressScopeDto;
  @ApiProperty({ type: [ProgressScopeDto] }) scopes!: ProgressScopeDto[];
  @ApiProperty({ type: ScopeTargetDto, nullable: true }) target!: ScopeTargetDto | null;
  @ApiProperty({ type: ProgressFiguresDto }) figures!: ProgressFiguresDto;
  @ApiProperty({ type: [BurnUpPointDto] }) burnUp!: BurnUpPointDto[];
  @ApiProperty({ type: TargetProjectionDto, nullable: true }) projection!: TargetProjectionDto | null;
  @ApiProperty() queuedAttempts!: number;

  static of(summary: ProgressSummary): ProgressSummaryDto {
    return {
      ...summary,
      scopes: [...summary.scopes],
      burnUp: [...summary.burnUp],
      figures: ProgressFiguresDto.of(summary.figures),
    };
  }
}

export class PartTargetDto {
  @ApiProperty() voters!: number;
  @ApiProperty() targetDate!: string;
}

export class BreakdownRowDto extends ProgressFiguresDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ nullable: true, type: Number }) share!: number | null;
  @ApiProperty({ type: PartTargetDto, nullable: true }) target!: PartTargetDto | null;
  @ApiProperty({ nullable: true, type: String, description: 'The scope to open for this row, when you may' }) drillScope!: string | null;

  static ofRow(row: BreakdownRow): BreakdownRowDto {
    return { ...ProgressFiguresDto.of(row), key: row.key, label: row.label, share: row.share, target: row.target, drillScope: row.drillScope };
  }
}

export class ProgressBreakdownDto {
  @ApiProperty() asOf!: Date;
  @ApiProperty({ type: ProgressScopeDto }) scope!: ProgressScopeDto;
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS }) dimension!: string;
  @ApiProperty({ type: [BreakdownRowDto] }) rows!: BreakdownRowDto[];
  @ApiProperty() totalRows!: number;

  static of(breakdown: ProgressBreakdown): ProgressBreakdownDto {
    return { ...breakdown, rows: breakdown.rows.map((row) => BreakdownRowDto.ofRow(row)) };
  }
}

export class StoredTargetDto {
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) organizationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) county!: string | null;
  @ApiProperty() voters!: number;
  @ApiProperty() targetDate!: string;
}

export class TargetsDto {
  @ApiProperty({ type: ScopeTargetDto }) alliance!: ScopeTargetDto;
  @ApiProperty({ type: [StoredTargetDto] }) parts!: StoredTargetDto[];
}
