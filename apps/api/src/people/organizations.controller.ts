import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OrganizationService, type SignedInUser } from '@app/identity';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { CreateOrganizationDto, mapOrganization, OrganizationDto, OrganizationListDto, OrganizationParamsDto, UpdateOrganizationDto } from './organization.dto';

@ApiTags('organizations')
@Controller('organizations')
@RequireSession()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such alliance among yours, or no such organization in it' })
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationService) {}

  @Get()
  @ApiOperation({ summary: "An alliance's organizations: anchors with their region and members, members with their anchor" })
  @ApiOkResponse({ type: OrganizationListDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<OrganizationListDto> {
    const { allianceSlug, organizations } = await this.organizations.list(user, query.alliance);
    return { alliance: allianceSlug, organizations: organizations.map(mapOrganization) };
  }

  @Get(':slug')
  @ApiOperation({ summary: 'One organization' })
  @ApiOkResponse({ type: OrganizationDto })
  async get(@SignedIn() user: SignedInUser, @Param() params: OrganizationParamsDto, @Query() query: AllianceQueryDto): Promise<OrganizationDto> {
    return mapOrganization(await this.organizations.get(user, query.alliance, params.slug));
  }

  @Post()
  @ApiOperation({ summary: 'Create an anchor (alliance admins) or a member organization under an anchor (alliance admins, or that anchor\u2019s leads)' })
  @ApiCreatedResponse({ type: OrganizationDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A field is missing or malformed; the message and details.field name it' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The slug is taken in this alliance' })
  async create(@SignedIn() user: SignedInUser, @Body() body: CreateOrganizationDto): Promise<OrganizationDto> {
    const { alliance, kind, slug, name, regionCounties, anchor } = body;
    return mapOrganization(await this.organizations.create(user, { allianceSlug: alliance, kind, slug, name, regionCounties, anchorSlug: anchor }));
  }

  @Patch(':slug')
  @ApiOperation({ summary: "Rename (alliance admins; an anchor's leads their anchor) or redraw an anchor's region (alliance admins)" })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async update(
    @SignedIn() user: SignedInUser,
    @Param() params: OrganizationParamsDto,
    @Query() query: AllianceQueryDto,
    @Body() body: UpdateOrganizationDto,
  ): Promise<OrganizationDto> {
    return mapOrganization(await this.organizations.update(user, query.alliance, params.slug, { name: body.name, regionCounties: body.regionCounties }));
  }

  @Delete(':slug')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an organization (alliance admins): refused while an anchor has members or anyone still belongs to it' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'details.reason: has_members or has_people' })
  async delete(@SignedIn() user: SignedInUser, @Param() params: OrganizationParamsDto, @Query() query: AllianceQueryDto): Promise<void> {
    await this.organizations.delete(user, query.alliance, params.slug);
  }
}
