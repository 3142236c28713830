import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignService } from '@app/campaigns';
import { AccessPolicyService, AuditLogService, Permission, type SignedInUser } from '@app/identity';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { CampaignDto, CampaignListDto, CreateCampaignDto } from './turf.dto';

@ApiTags('campaigns')
@Controller('campaigns')
@RequireSession()
export class CampaignsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly campaigns: CampaignService,
    private readonly audit: AuditLogService,
  ) {}

  @Get()
  @ApiOkResponse({ type: CampaignListDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<CampaignListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadTurf);
    return { campaigns: (await this.campaigns.list(authorization.allianceId)).map((campaign) => CampaignDto.of(campaign)) };
  }

  @Post()
  @ApiOperation({ summary: 'Create a campaign of the alliance, for which turf is assigned' })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The slug is taken' })
  async create(@SignedIn() user: SignedInUser, @Body() body: CreateCampaignDto): Promise<CampaignDto> {
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.ManageCampaigns);
    const campaign = await this.campaigns.create(authorization.allianceId, body.slug, body.name);
    await this.audit.record(authorization, 'campaign.created', { subjectType: 'campaign', subjectId: campaign.id });
    return CampaignDto.of(campaign);
  }
}
