import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { MAX_FILTER_AGE, MAX_VOTER_PAGE_SIZE, PROPENSITIES, STANDARD_PARTIES, STANDARD_RACE_ETHNICITIES, type VoterFilterInput } from '@app/voter-file';

const LIST = 'Several values may be given comma-separated or by repeating the parameter; a voter matching any of them matches.';
const ONCE = (name: string) => ({ message: `${name} takes one value` });

/**
 * The filters as the query string carries them. Only their shape is checked here; their
 * values are checked by the voter-file lib's parser, whose messages name the allowed values.
 */
export class VoterFilterQueryDto {
  @ApiPropertyOptional({ description: 'The alliance slug; may be left out when the deployment has only one alliance', example: 'california' })
  @IsOptional()
  @IsString(ONCE('alliance'))
  alliance?: string;

  @ApiPropertyOptional({ type: [String], description: `County, exactly as in the voter file. ${LIST}`, example: 'WAKE,DURHAM' })
  @IsOptional()
  @IsString({ each: true })
  county?: string | string[];

  @ApiPropertyOptional({ type: [String], description: `Precinct code, exactly as in the voter file. ${LIST}`, example: '01-07' })
  @IsOptional()
  @IsString({ each: true })
  precinct?: string | string[];

  @ApiPropertyOptional({ type: [String], description: `Five-digit ZIP code. ${LIST}`, example: '27601' })
  @IsOptional()
  @IsString({ each: true })
  zip?: string | string[];

  @ApiPropertyOptional({ type: [String], description: `City, exactly as in the voter file. ${LIST}`, example: 'RALEIGH' })
  @IsOptional()
  @IsString({ each: true })
  city?: string | string[];

  @ApiPropertyOptional({ enum: STANDARD_PARTIES, isArray: true, description: `Standard party. ${LIST}` })
  @IsOptional()
  @IsString({ each: true })
  party?: string | string[];

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: MAX_FILTER_AGE, description: 'Youngest age (this year minus the birth year)' })
  @IsOptional()
  @IsString(ONCE('ageMin'))
  ageMin?: string;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: MAX_FILTER_AGE, description: 'Oldest age (this year minus the birth year)' })
  @IsOptional()
  @IsString(ONCE('ageMax'))
  ageMax?: string;

  @ApiPropertyOptional({ enum: PROPENSITIES, isArray: true, description: `Turnout propensity. ${LIST}` })
  @IsOptional()
  @IsString({ each: true })
  propensity?: string | string[];

  @ApiPropertyOptional({ enum: STANDARD_RACE_ETHNICITIES, isArray: true, description: `Standard race/ethnicity. ${LIST}` })
  @IsOptional()
  @IsString({ each: true })
  raceEthnicity?: string | string[];

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only voters with (true) or without (false) a phone' })
  @IsOptional()
  @IsString(ONCE('hasPhone'))
  hasPhone?: string;

  @ApiPropertyOptional({ type: [String], description: `Values-segment keys under the alliance's active model (e.g. aspiring_poc). ${LIST}` })
  @IsOptional()
  @IsString({ each: true })
  segment?: string | string[];

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'true',
    description: 'Active voters (the default), or those a full refresh no longer found (false)',
  })
  @IsOptional()
  @IsString(ONCE('active'))
  active?: string;
}

export class VoterSearchQueryDto extends VoterFilterQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString(ONCE('after'))
  after?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: MAX_VOTER_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  // The range is the search service's rule; here only "is it a number at all", so the message is said once.
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_VOTER_PAGE_SIZE}` })
  limit?: number;
}

export function filterInputOf(query: VoterFilterQueryDto): VoterFilterInput {
  const { county, precinct, zip, city, party, ageMin, ageMax, propensity, raceEthnicity, hasPhone, segment, active } = query;
  return { county, precinct, zip, city, party, ageMin, ageMax, propensity, raceEthnicity, hasPhone, segment, active };
}

export class VoterPhoneDto {
  @ApiProperty({ example: '+19195550123' })
  e164!: string;

  @ApiProperty({ enum: ['mobile', 'landline', 'voip', 'unknown'] })
  lineType!: string;
}

export class VoterSummaryDto {
  @ApiProperty({ description: 'Crossroads id (a 64-bit integer, as text)', example: '1042' })
  id!: string;

  @ApiProperty({ description: "The voter file's own id", example: 'AA123456' })
  sourceVoterId!: string;

  @ApiProperty({ type: String, nullable: true })
  firstName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  middleName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  nameSuffix!: string | null;

  @ApiProperty({ type: String, nullable: true })
  residentialAddress!: string | null;

  @ApiProperty({ type: String, nullable: true })
  city!: string | null;

  @ApiProperty({ type: String, nullable: true })
  county!: string | null;

  @ApiProperty({ type: String, nullable: true })
  precinct!: string | null;

  @ApiProperty({ type: String, nullable: true })
  zip5!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'This year minus the birth year' })
  age!: number | null;

  @ApiProperty({ enum: STANDARD_PARTIES })
  party!: string;

  @ApiProperty({ type: String, nullable: true, description: "The voter file's own party code" })
  partyCode!: string | null;

  @ApiProperty({ enum: STANDARD_RACE_ETHNICITIES })
  raceEthnicity!: string;

  @ApiProperty({ enum: PROPENSITIES })
  propensity!: string;

  @ApiProperty({ type: [VoterPhoneDto] })
  phones!: VoterPhoneDto[];

  @ApiProperty()
  active!: boolean;
}

export class VoterSearchResponseDto {
  @ApiProperty({ type: [VoterSummaryDto] })
  voters!: VoterSummaryDto[];

  @ApiProperty({ description: 'How many voters the filters match in all' })
  total!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page; null on the last page' })
  nextCursor!: string | null;
}
