import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { OrganizationKind, type OrganizationReference, type OrganizationView } from '@app/identity';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SLUG_RULE = 'must be 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit';
const MAXIMUM_COUNTIES = 200;

export class OrganizationParamsDto {
  @Matches(SLUG, { message: `slug ${SLUG_RULE}` })
  slug!: string;
}

export class CreateOrganizationDto {
  @ApiPropertyOptional({ description: 'The alliance slug; may be left out when you belong to one alliance only' })
  @IsOptional()
  @IsString({ message: 'alliance must be an alliance slug' })
  alliance?: string;

  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' })
  @IsIn(Object.values(OrganizationKind), { message: `kind must be one of ${Object.values(OrganizationKind).join(', ')}` })
  kind!: OrganizationKind;

  @ApiProperty({ example: 'bay-area-coalition', description: `Unique in the alliance; ${SLUG_RULE}` })
  @Matches(SLUG, { message: `slug ${SLUG_RULE}` })
  slug!: string;

  @ApiProperty({ example: 'Bay Area Coalition' })
  @IsString({ message: 'name must be a string' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['Alameda', 'Contra Costa'], description: "Anchors only: the counties of the anchor's region" })
  @IsOptional()
  @IsArray({ message: 'regionCounties must be a list of county names' })
  @ArrayMaxSize(MAXIMUM_COUNTIES, { message: `regionCounties must list at most ${MAXIMUM_COUNTIES} counties` })
  @IsString({ each: true, message: 'regionCounties must be a list of county names' })
  @Length(1, 100, { each: true, message: 'each of regionCounties must be 1 to 100 characters' })
  regionCounties?: string[];

  @ApiPropertyOptional({ example: 'bay-area-coalition', description: 'Members only: the slug of the anchor the member organization belongs to' })
  @IsOptional()
  @Matches(SLUG, { message: `anchor ${SLUG_RULE}` })
  anchor?: string;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ description: 'An alliance admin, or a lead of the anchor itself' })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name?: string;

  @ApiPropertyOptional({ type: [String], description: "Anchors only, and an alliance admin only: the region's counties, replacing the old list" })
  @IsOptional()
  @IsArray({ message: 'regionCounties must be a list of county names' })
  @ArrayMaxSize(MAXIMUM_COUNTIES, { message: `regionCounties must list at most ${MAXIMUM_COUNTIES} counties` })
  @IsString({ each: true, message: 'regionCounties must be a list of county names' })
  @Length(1, 100, { each: true, message: 'each of regionCounties must be 1 to 100 characters' })
  regionCounties?: string[];
}

export class OrganizationReferenceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
}

export class OrganizationDto extends OrganizationReferenceDto {
  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' }) kind!: OrganizationKind;
  @ApiProperty({ type: [String], description: "An anchor's counties; empty for a member" }) regionCounties!: string[];
  @ApiProperty({ type: OrganizationReferenceDto, nullable: true, description: "A member's anchor; null for an anchor" })
  anchor!: OrganizationReferenceDto | null;
  @ApiProperty({ type: [OrganizationReferenceDto], description: "An anchor's member organizations; empty for a member" }) members!: OrganizationReferenceDto[];
}

export class OrganizationListDto {
  @ApiProperty() alliance!: string;
  @ApiProperty({ type: [OrganizationDto], description: 'Anchors first, then members, each by name' }) organizations!: OrganizationDto[];
}

const referenceOf = ({ id, slug, name }: OrganizationReference): OrganizationReferenceDto => ({ id, slug, name });

export function mapOrganization(view: OrganizationView): OrganizationDto {
  return {
    ...referenceOf(view),
    kind: view.kind,
    regionCounties: [...view.regionCounties],
    anchor: view.anchor === null ? null : referenceOf(view.anchor),
    members: view.members.map(referenceOf),
  };
}
