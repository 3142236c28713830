import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { AuditEventRow } from '@app/identity';

export class AuditEventQueryDto {
  @ApiPropertyOptional({ description: 'The alliance slug; may be left out when you belong to one alliance' })
  @IsOptional()
  @IsString({ message: 'alliance takes one value' })
  @MaxLength(63, { message: 'alliance must be at most 63 characters' })
  alliance?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'before must be the nextCursor of a previous page' })
  before?: string;
}

export class AuditEventDto {
  @ApiProperty({ description: 'A 64-bit integer, as text' }) id!: string;
  @ApiProperty({ example: 'turf.assigned' }) action!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorUserId!: string | null;
  @ApiProperty({ nullable: true, type: String }) actorEmail!: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectType!: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) correlationId!: string | null;
  @ApiProperty() createdAt!: Date;

  static of(row: AuditEventRow): AuditEventDto {
    return { ...row };
  }
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) events!: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as before for the next (older) page; null on the last' }) nextCursor!: string | null;
}
