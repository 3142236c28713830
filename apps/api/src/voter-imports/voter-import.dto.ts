import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { VOTER_FILE_FORMATS, type VoterImportEntity, type VoterImportErrorEntity } from '@app/voter-file';

/** The multipart fields that come with an uploaded voter file (all text, as forms send them). */
export class UploadVoterFileDto {
  @ApiPropertyOptional({ enum: VOTER_FILE_FORMATS, description: 'Read off the header when not given' })
  @IsOptional()
  @IsIn(VOTER_FILE_FORMATS, { message: `format must be one of ${VOTER_FILE_FORMATS.join(', ')}` })
  format?: string;

  @ApiPropertyOptional({ description: 'For the generic format: JSON {"columns": {"<source column>": "<voter field>"}, "delimiter"?: ","}' })
  @IsOptional()
  @IsString()
  @MaxLength(100_000, { message: 'mapping must be at most 100,000 characters of JSON' })
  mapping?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Mark voters absent from this file inactive (never deleted)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'full must be "true" or "false"' })
  full?: string;

  @ApiPropertyOptional({ example: '0.01', description: 'Refuse the whole file when more than this share of lines is malformed' })
  @IsOptional()
  @Matches(/^(0(\.\d{1,5})?|1(\.0{1,5})?)$/, { message: 'maxErrorRate must be a share between 0 and 1, such as 0.01 for 1%' })
  maxErrorRate?: string;

  @ApiPropertyOptional({ description: 'The alliance slug (default: the only alliance)' })
  @IsOptional()
  @IsString()
  alliance?: string;
}

export class VoterImportListQueryDto {
  @ApiPropertyOptional({ description: 'The alliance slug; may be left out when you belong to one alliance' })
  @IsOptional()
  @IsString()
  alliance?: string;
}

export class VoterImportParamsDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class VoterImportErrorsQueryDto {
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'after must be the nextCursor of a previous page' })
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 1000' })
  @Min(1, { message: 'limit must be a whole number from 1 to 1000' })
  @Max(1000, { message: 'limit must be a whole number from 1 to 1000' })
  limit?: number;
}

export class VoterImportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() fileBytes!: number;
  @ApiProperty({ nullable: true, enum: VOTER_FILE_FORMATS, type: String }) format!: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'rejected', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['queued', 'reading', 'merging', 'done'] }) phase!: string;
  @ApiProperty({ description: 'Share of the file read, 0–100 (100 once done)' }) percent!: number;
  @ApiProperty() rowsRead!: number;
  @ApiProperty({ nullable: true, type: Number }) rowsPerSecond!: number | null;
  @ApiProperty() inserted!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() deactivated!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() droppedPhones!: number;
  @ApiProperty() historyRows!: number;
  @ApiProperty() unmatched!: number;
  @ApiProperty({ description: 'Problems recorded for this import (rejected lines, dropped phones, repeated ids)' }) errorCount!: number;
  @ApiProperty({ nullable: true, type: String }) errorMessage!: string | null;
  @ApiProperty() fullRefresh!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
}

export class VoterImportListDto {
  @ApiProperty({ type: [VoterImportDto] }) imports!: VoterImportDto[];
}

export class VoterImportErrorDto {
  @ApiProperty() lineNumber!: number;
  @ApiProperty({ nullable: true, type: String }) column!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['rejected', 'dropped', 'duplicate'] }) kind!: string;
}

export class VoterImportErrorPageDto {
  @ApiProperty({ type: [VoterImportErrorDto] }) errors!: VoterImportErrorDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export function mapVoterImport(record: VoterImportEntity, errorCount: number, now: Date = new Date()): VoterImportDto {
  const done = record.phase === 'done';
  const readShare = record.fileBytes > 0 ? Math.min(record.bytesRead / record.fileBytes, 1) : 0;
  const elapsedSeconds = record.startedAt ? ((record.finishedAt ?? now).getTime() - record.startedAt.getTime()) / 1000 : 0;
  return {
    id: record.id,
    fileName: record.fileName,
    fileBytes: record.fileBytes,
    format: record.format,
    status: record.status,
    phase: record.phase,
    // Reading is most of the work; merging shows 99% until the transaction commits.
    percent: done ? 100 : Math.min(Math.floor(readShare * 100), 99),
    rowsRead: record.rowsRead,
    rowsPerSecond: elapsedSeconds > 0 ? Math.round(record.rowsRead / elapsedSeconds) : null,
    inserted: record.inserted,
    updated: record.updated,
    unchanged: record.unchanged,
    deactivated: record.deactivated,
    rejected: record.rejected,
    droppedPhones: record.droppedPhones,
    historyRows: record.historyRows,
    unmatched: record.unmatched,
    errorCount,
    errorMessage: record.errorMessage,
    fullRefresh: record.fullRefresh,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}

export function mapVoterImportError(error: VoterImportErrorEntity): VoterImportErrorDto {
  return { lineNumber: error.lineNumber, column: error.columnName, reason: error.reason, kind: error.kind };
}
