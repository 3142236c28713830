import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  DISTRIBUTION_DIMENSIONS,
  type DistributionDimension,
  EVIDENCE_SOURCES,
  type EvidenceSource,
  type ModelExplanation,
  type SegmentApplicationRecord,
  type SegmentModelRecord,
  type SegmentTaxonomy,
} from '@app/segments';
import { AllianceQueryDto } from '../auth/alliance-query.dto';

export class ModelIdParamsDto {
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'id must be a UUID' })
  id!: string;
}

export class VoterIdParamsDto {
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'id must be a voter id (a positive whole number)' })
  id!: string;
}

export class SaveTaxonomyDto extends AllianceQueryDto {
  @ApiProperty({
    description: 'The segments, in display order: key (lower snake case), name, description, colour (#rrggbb)',
    example: [{ key: 'pro_tax_base', name: 'Pro-Tax & Fiscal Base', description: '', colour: '#2e7d32' }],
  })
  @IsArray({ message: 'segments must be a list' })
  segments!: unknown[];

  @ApiPropertyOptional({ description: 'Values questions: key, prompt, answers [{key, label, likelihoods {segmentKey: P(answer | segment)}}]' })
  @IsOptional()
  @IsArray({ message: 'valuesQuestions must be a list' })
  valuesQuestions?: unknown[];
}

export class TaxonomyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) segments!: SegmentTaxonomy['segments'];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) valuesQuestions!: SegmentTaxonomy['valuesQuestions'];
  @ApiProperty() createdAt!: Date;

  static of(taxonomy: SegmentTaxonomy): TaxonomyDto {
    return {
      id: taxonomy.id,
      version: taxonomy.version,
      segments: taxonomy.segments,
      valuesQuestions: taxonomy.valuesQuestions,
      createdAt: taxonomy.createdAt,
    };
  }
}

const DEFINITION_DESCRIPTION =
  'rules: [{segment, conditions: [{field, min?, max?} | {field, values}]}] in order, first match wins; fallbackSegment for voters no rule takes. ' +
  'Numeric fields: age, registeredYears, generalVotes, primaryVotes. Listed fields: party, raceEthnicity, gender, propensity, county, urbanicity.';

export class RuleCountsRequestDto extends AllianceQueryDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: DEFINITION_DESCRIPTION,
    example: { rules: [{ segment: 'aspiring_poc', conditions: [{ field: 'raceEthnicity', values: ['black', 'hispanic'] }] }], fallbackSegment: 'other' },
  })
  @IsObject({ message: 'definition must be an object' })
  definition!: Record<string, unknown>;
}

export class CreateRuleModelDto extends RuleCountsRequestDto {
  @ApiProperty({ example: 'Starter rules' })
  @IsString({ message: 'name must be text' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name!: string;
}

export class RuleCountsDto {
  @ApiProperty({ description: 'Active voters counted (those you may see)' }) total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) bySegment!: Record<string, number>;
  @ApiProperty({ type: [Number], description: 'Voters each rule takes (first match)' }) byRule!: readonly number[];
  @ApiProperty({ description: 'Voters no rule takes' }) fallback!: number;
  @ApiProperty({ type: [String], description: 'Each rule in words' }) rules!: readonly string[];
}

export class TrainModelFieldsDto extends AllianceQueryDto {
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'folds must be a whole number from 2 to 20' })
  @Min(2, { message: 'folds must be a whole number from 2 to 20' })
  @Max(20, { message: 'folds must be a whole number from 2 to 20' })
  folds?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'seed must be a whole number' })
  @Min(0, { message: 'seed must be a whole number from 0 to 4294967295' })
  @Max(4294967295, { message: 'seed must be a whole number from 0 to 4294967295' })
  seed?: number;

  @IsOptional()
  @Type(() => Number)
  @Min(0, { message: 'maxUnmatchedRate must be a share between 0 and 1' })
  @Max(1, { message: 'maxUnmatchedRate must be a share between 0 and 1' })
  maxUnmatchedRate?: number;
}

export class SegmentApplicationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) votersTotal!: number | null;
  @ApiProperty() votersDone!: number;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'number' } }) distribution!: Readonly<Record<string, number>> | null;
  @ApiProperty({ nullable: true, type: Number }) seconds!: number | null;
  @ApiProperty({ nullable: true, type: String }) errorMessage!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;

  static of(application: SegmentApplicationRecord): SegmentApplicationDto {
    return {
      id: application.id,
      modelId: application.modelId,
      status: application.status,
      votersTotal: application.votersTotal,
      votersDone: application.votersDone,
      distribution: application.distribution,
      seconds: application.seconds,
      errorMessage: application.errorMessage,
      createdAt: application.createdAt,
      finishedAt: application.finishedAt,
    };
  }
}

export class SegmentModelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() version!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['rules', 'trained'] }) kind!: string;
  @ApiProperty({ enum: ['queued', 'training', 'ready', 'failed'] }) status!: string;
  @ApiProperty({ format: 'uuid' }) taxonomyId!: string;
  @ApiProperty({ description: 'The model whose segments volunteers see and later imports get' }) active!: boolean;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'Rules, or the trained weights' })
  definition!: SegmentModelRecord['definition'];
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Cross-validated accuracy, macro-F1, log-loss, confusion matrix and calibration, next to the majority baseline and the rule model',
  })
  evaluation!: SegmentModelRecord['evaluation'];
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'Poll rows, matched, unmatched (with examples), per segment' })
  poll!: SegmentModelRecord['poll'];
  @ApiProperty({ nullable: true, type: Number }) trainingSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String }) errorMessage!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: SegmentApplicationDto }) latestApplication!: SegmentApplicationDto | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Weights per segment (or rules) in words' })
  explanation?: ModelExplanation;

  static of(model: SegmentModelRecord, latestApplication: SegmentApplicationRecord | null, explanation?: ModelExplanation): SegmentModelDto {
    return {
      id: model.id,
      version: model.version,
      name: model.name,
      kind: model.kind,
      status: model.status,
      taxonomyId: model.taxonomyId,
      active: model.active,
      definition: model.definition,
      evaluation: model.evaluation,
      poll: model.poll,
      trainingSeconds: model.trainingSeconds,
      errorMessage: model.errorMessage,
      createdAt: model.createdAt,
      latestApplication: latestApplication ? SegmentApplicationDto.of(latestApplication) : null,
      ...(explanation ? { explanation } : {}),
    };
  }
}

export class SegmentModelListDto {
  @ApiProperty({ type: [SegmentModelDto] }) models!: SegmentModelDto[];
}

export class DistributionQueryDto {
  @ApiPropertyOptional({ enum: DISTRIBUTION_DIMENSIONS, default: 'county' })
  @IsOptional()
  @IsIn(DISTRIBUTION_DIMENSIONS, { message: `by must be one of ${DISTRIBUTION_DIMENSIONS.join(', ')}` })
  by?: DistributionDimension;
}

export class DistributionDto {
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ enum: DISTRIBUTION_DIMENSIONS }) by!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '[{key, label, total, counts: {segmentKey: voters}}], largest first' })
  rows!: ReadonlyArray<{ key: string; label: string; total: number; counts: Readonly<Record<string, number>> }>;
}

export class ValuesAnswerDto extends AllianceQueryDto {
  @ApiProperty({ example: 'fund_schools_by_taxing_wealth' })
  @IsString({ message: 'questionKey must be text' })
  @Length(1, 64, { message: 'questionKey must be 1 to 64 characters' })
  questionKey!: string;

  @ApiProperty({ example: 'yes' })
  @IsString({ message: 'answerKey must be text' })
  @Length(1, 64, { message: 'answerKey must be 1 to 64 characters' })
  answerKey!: string;

  @ApiPropertyOptional({ enum: EVIDENCE_SOURCES, default: 'manual' })
  @IsOptional()
  @IsIn(EVIDENCE_SOURCES, { message: `source must be one of ${EVIDENCE_SOURCES.join(', ')}` })
  source?: EvidenceSource;

  @ApiPropertyOptional({ description: 'The contact attempt or message the answer came from; the same reference twice records once' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'sourceReference must be 1 to 200 characters' })
  sourceReference?: string;
}

export class VoterSegmentDto {
  @ApiProperty() voterId!: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'The active model that classified the voter' }) model!: unknown;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'key, name, colour, description' }) segment!: unknown;
  @ApiProperty({ nullable: true, type: Number }) probability!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'After every recorded answer' }) probabilities!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'The model alone' }) modelProbabilities!: unknown;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'Why: sentences and per-attribute contributions' })
  explanation!: unknown;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Answers to values questions, oldest first' }) evidence!: unknown;
}
