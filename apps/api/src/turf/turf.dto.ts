import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_TURF_PARTS, type TurfAssignmentRecord, type TurfRecord } from '@app/turf';
import { AllianceQueryDto } from '../auth/alliance-query.dto';

const FILTER_DESCRIPTION =
  'The voter search filters, as JSON: county, precinct, zip, city, party, propensity, raceEthnicity (lists), ageMin, ageMax (numbers), hasPhone (boolean), segment (values-segment keys under the active model). ' +
  'An anchor must name counties of its region.';
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class IdParamsDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class TurfCountRequestDto extends AllianceQueryDto {
  @ApiPropertyOptional({ description: 'The anchor cutting, by slug; needed only by a lead of several anchors' })
  @IsOptional()
  @IsString()
  @MaxLength(63, { message: 'anchor must be at most 63 characters' })
  anchor?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: FILTER_DESCRIPTION,
    example: { county: ['LOS ANGELES'], party: ['democratic'] },
  })
  @IsOptional()
  @IsObject({ message: 'filter must be an object' })
  filter?: Record<string, unknown>;
}

export class CreateTurfDto extends TurfCountRequestDto {
  @ApiProperty({ example: 'Boyle Heights occasional voters' })
  @IsString({ message: 'name must be text' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name!: string;
}

export class TurfCountDto {
  @ApiProperty({ description: 'Active voters the filter matches, inside what you may cut' }) total!: number;
}

export class SplitTurfDto {
  @ApiProperty({ minimum: 2, maximum: MAX_TURF_PARTS, example: 27 })
  @Type(() => Number)
  @IsInt({ message: `parts must be a whole number from 2 to ${MAX_TURF_PARTS}` })
  @Min(2, { message: `parts must be a whole number from 2 to ${MAX_TURF_PARTS}` })
  @Max(MAX_TURF_PARTS, { message: `parts must be a whole number from 2 to ${MAX_TURF_PARTS}` })
  parts!: number;

  @ApiProperty({ enum: ['precinct', 'equal'], description: 'precinct: whole precincts, sizes as even as that allows; equal: sizes differ by at most one' })
  @IsIn(['precinct', 'equal'], { message: 'method must be precinct or equal' })
  method!: 'precinct' | 'equal';
}

export class AssignTurfDto {
  @ApiProperty({ description: 'The campaign, by slug', example: 'fall-2026' })
  @Matches(SLUG, { message: 'campaign must be a campaign slug' })
  campaign!: string;

  @ApiProperty({ description: 'The member organization, by slug' })
  @Matches(SLUG, { message: 'organization must be an organization slug' })
  organization!: string;

  @ApiPropertyOptional({ description: 'Assign only the voters no other organization holds in the campaign, instead of answering 409' })
  @IsOptional()
  @IsBoolean({ message: 'skipConflicts must be true or false' })
  skipConflicts?: boolean;
}

export class ReassignTurfDto {
  @ApiProperty({ description: 'The member organization that takes the turf over, by slug' })
  @Matches(SLUG, { message: 'organization must be an organization slug' })
  organization!: string;
}

export class TurfAssignmentQueryDto extends AllianceQueryDto {
  @ApiPropertyOptional({ description: 'Only this campaign (slug)' })
  @IsOptional()
  @Matches(SLUG, { message: 'campaign must be a campaign slug' })
  campaign?: string;

  @ApiPropertyOptional({ description: 'Only this organization (slug)' })
  @IsOptional()
  @Matches(SLUG, { message: 'organization must be an organization slug' })
  organization?: string;
}

class NamedReferenceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
}

export class TurfAssignmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) turfId!: string;
  @ApiProperty() turfName!: string;
  @ApiProperty({ type: NamedReferenceDto }) campaign!: NamedReferenceDto;
  @ApiProperty({ type: NamedReferenceDto }) organization!: NamedReferenceDto;
  @ApiProperty({ description: 'Voters this assignment holds (or held, once ended)' }) voterCount!: number;
  @ApiProperty() assignedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) endedAt!: Date | null;
  @ApiProperty({ nullable: true, enum: ['unassigned', 'reassigned'] }) endReason!: 'unassigned' | 'reassigned' | null;

  static of(assignment: TurfAssignmentRecord): TurfAssignmentDto {
    return {
      id: assignment.id,
      turfId: assignment.turfId,
      turfName: assignment.turfName,
      campaign: { id: assignment.campaignId, slug: assignment.campaignSlug, name: assignment.campaignName },
      organization: { id: assignment.organizationId, slug: assignment.organizationSlug, name: assignment.organizationName },
      voterCount: assignment.voterCount,
      assignedAt: assignment.assignedAt,
      endedAt: assignment.endedAt,
      endReason: assignment.endReason,
    };
  }
}

export class TurfAssignmentListDto {
  @ApiProperty({ type: [TurfAssignmentDto] }) assignments!: TurfAssignmentDto[];
}

export class TurfDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['draft', 'materialized'] }) status!: 'draft' | 'materialized';
  @ApiProperty({ nullable: true, type: Number, description: 'Set once materialized' }) voterCount!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) filter!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The anchor that cut it; null when the alliance did' }) cutByOrganizationId!:
    string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Set on the parts of a split' }) parentTurfId!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) materializedAt!: Date | null;
  @ApiProperty({ type: [TurfAssignmentDto], description: 'Current and past assignments you may see' }) assignments!: TurfAssignmentDto[];

  static of(turf: TurfRecord, assignments: readonly TurfAssignmentRecord[] = []): TurfDto {
    return {
      id: turf.id,
      name: turf.name,
      status: turf.status,
      voterCount: turf.voterCount,
      filter: { ...turf.filter },
      cutByOrganizationId: turf.organizationId,
      parentTurfId: turf.parentTurfId,
      createdAt: turf.createdAt,
      materializedAt: turf.materializedAt,
      assignments: assignments.filter((assignment) => assignment.turfId === turf.id).map((assignment) => TurfAssignmentDto.of(assignment)),
    };
  }
}

export class TurfListDto {
  @ApiProperty({ type: [TurfDto] }) turfs!: TurfDto[];
}

export class TurfPartsDto {
  @ApiProperty({ type: [TurfDto] }) parts!: TurfDto[];
}
