import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Which alliance a request is about, by slug; a person in one alliance may leave it out. */
export class AllianceQueryDto {
  @ApiPropertyOptional({ description: 'The alliance slug; may be left out when you belong to one alliance', example: 'california' })
  @IsOptional()
  @IsString({ message: 'alliance takes one value' })
  @MaxLength(63, { message: 'alliance must be at most 63 characters' })
  alliance?: string;
}
