import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignService } from '@app/campaigns';
import { AccessPolicyService, Permission, type SignedInUser } from '@app/identity';
import { TextingStatsService } from '@app/messaging';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { managedCampaign } from '../phone-banking/managed-campaign.util';
import { CampaignParamsDto, TextingStatsDto, UnmatchedPageDto, UnmatchedQueryDto } from './texting.dto';

/** What leads watch while a text campaign runs, and the inbound texts nobody's conversation matched (alliance admins). */
@ApiTags('texting')
@Controller('texting')
@RequireSession()
export class TextingStatsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly campaigns: CampaignService,
    private readonly stats: TextingStatsService,
  ) {}

  @Get('campaigns/:campaignId/stats')
  @ApiOperation({ summary: 'Live figures: contacts, texts by status, failures by error code, replies, opt-outs; per organization you see' })
  @ApiOkResponse({ type: TextingStatsDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Only leads who manage the campaign (and the alliance’s admins)' })
  async campaignStats(@SignedIn() user: SignedInUser, @Param() params: CampaignParamsDto): Promise<TextingStatsDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.campaignId);
    return TextingStatsDto.of(await this.stats.statsOf(authorization, campaign));
  }

  @Get('unmatched')
  @ApiOperation({ summary: 'Inbound texts that matched no conversation, newest first (alliance admins; last 4 digits of the sender only)' })
  @ApiOkResponse({ type: UnmatchedPageDto })
  async unmatched(@SignedIn() user: SignedInUser, @Query() query: UnmatchedQueryDto): Promise<UnmatchedPageDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ManageOrganizations);
    return UnmatchedPageDto.of(await this.stats.unmatched(authorization, query));
  }
}
