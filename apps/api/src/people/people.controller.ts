import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MembershipService, type SignedInUser } from '@app/identity';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { OrganizationParamsDto } from './organization.dto';
import { AlliancePeopleDto, mapPerson, OrganizationPeopleDto } from './person.dto';

@ApiTags('people')
@Controller()
@RequireSession()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such alliance among yours, or no such organization in it' })
export class PeopleController {
  constructor(private readonly memberships: MembershipService) {}

  @Get('people')
  @ApiOperation({
    summary:
      'The people you manage in an alliance, with their roles: everyone for an alliance admin, an anchor\u2019s and its members\u2019 for its leads, an org lead\u2019s own',
  })
  @ApiOkResponse({ type: AlliancePeopleDto })
  async listForAlliance(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<AlliancePeopleDto> {
    const { allianceSlug, people } = await this.memberships.listForAlliance(user, query.alliance);
    return { alliance: allianceSlug, people: people.map(mapPerson) };
  }

  @Get('organizations/:slug/people')
  @ApiOperation({ summary: 'The people of one organization you manage, with their roles there' })
  @ApiOkResponse({ type: OrganizationPeopleDto })
  async listForOrganization(
    @SignedIn() user: SignedInUser,
    @Param() params: OrganizationParamsDto,
    @Query() query: AllianceQueryDto,
  ): Promise<OrganizationPeopleDto> {
    const { allianceSlug, organization, people } = await this.memberships.listForOrganization(user, query.alliance, params.slug);
    return { alliance: allianceSlug, organization: { ...organization }, people: people.map(mapPerson) };
  }
}
