import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicyService, Permission, type SignedInUser } from '@app/identity';
import { parseSegmentTaxonomy, SegmentTaxonomyService } from '@app/segments';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { SaveTaxonomyDto, TaxonomyDto } from './segments.dto';

@ApiTags('segments')
@Controller('segments/taxonomy')
@RequireSession()
export class SegmentTaxonomyController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly taxonomies: SegmentTaxonomyService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The alliance's current values taxonomy (the default until a data lead edits it)" })
  @ApiOkResponse({ type: TaxonomyDto })
  async current(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<TaxonomyDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadSegments);
    return TaxonomyDto.of(await this.taxonomies.current(authorization.allianceId));
  }

  @Put()
  @ApiOperation({ summary: 'Save a new version of the taxonomy; models stay tied to the version they were built for' })
  @ApiOkResponse({ type: TaxonomyDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'details.field names what is wrong' })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async save(@SignedIn() user: SignedInUser, @Body() body: SaveTaxonomyDto): Promise<TaxonomyDto> {
    const taxonomy = parseSegmentTaxonomy({ segments: body.segments, valuesQuestions: body.valuesQuestions ?? [] });
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.ManageSegments);
    return TaxonomyDto.of(await this.taxonomies.save(authorization, taxonomy));
  }
}
