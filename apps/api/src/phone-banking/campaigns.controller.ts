import { Body, Controller, Get, HttpCode, Logger, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallListService, type CampaignRecord, CampaignScriptService, CampaignService, PACED_DIAL_MODES, assertManages } from '@app/campaigns';
import { LineTypeFillService } from '@app/dialer';
import { AccessPolicyService, AuditLogService, Permission, type SignedInUser } from '@app/identity';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { managedCampaign } from './managed-campaign.util';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { IdParamsDto } from '../turf/turf.dto';
import {
  CallListCountsDto,
  CampaignDto,
  CampaignListDto,
  CampaignScriptDto,
  CampaignSettingsDto,
  CampaignStatusDto,
  CreateCampaignDto,
  LineTypeProgressDto,
  ScriptPreviewDto,
} from './campaign.dto';
import { ScriptPreviewResponseDto } from './calling.dto';

const MOVES = { active: 'activate', paused: 'pause', finished: 'finish' } as const;

/** What a volunteer's campaign list leaves out: the campaign's name and window are theirs to see, its settings are the leads'. */
const VOLUNTEER_HIDDEN_SETTINGS = {
  script: null,
  surveyQuestions: [],
  retryPolicy: {},
  callerIds: [],
  sendingNumbers: [],
  messagingServiceSid: null,
  initialMessage: null,
  cannedResponses: [],
} as const;

@ApiTags('campaigns')
@Controller('campaigns')
@RequireSession()
export class CampaignsController {
  private readonly logger = new Logger(CampaignsController.name);

  constructor(
    private readonly policy: AccessPolicyService,
    private readonly campaigns: CampaignService,
    private readonly scripts: CampaignScriptService,
    private readonly callLists: CallListService,
    private readonly audit: AuditLogService,
    private readonly lineTypes: LineTypeFillService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Campaigns you may see: the alliance’s, or those your organizations run or hold turf in' })
  @ApiOkResponse({ type: CampaignListDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<CampaignListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadTurf);
    return { campaigns: (await this.campaigns.listForActor(authorization)).map((campaign) => CampaignDto.of(campaign)) };
  }

  @Get('callable')
  @ApiOperation({ summary: 'Active phone campaigns you can call in now' })
  @ApiOkResponse({ type: CampaignListDto })
  async callable(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<CampaignListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.CallVoters);
    // A volunteer sees the campaign's name and window, not its settings.
    const campaigns = await this.campaigns.listCallable(authorization);
    return { campaigns: campaigns.map((campaign) => ({ ...CampaignDto.of(campaign), ...VOLUNTEER_HIDDEN_SETTINGS })) };
  }

  @Get('textable')
  @ApiOperation({ summary: 'Active text campaigns you can text in now' })
  @ApiOkResponse({ type: CampaignListDto })
  async textable(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<CampaignListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.CallVoters);
    // A texter sees the campaign's name and window, not its numbers, messages or settings.
    const campaigns = await this.campaigns.listTextable(authorization);
    return { campaigns: campaigns.map((campaign) => ({ ...CampaignDto.of(campaign), ...VOLUNTEER_HIDDEN_SETTINGS })) };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a campaign: the alliance’s (admins) or one of your organizations’ own (org and anchor leads)',
    description: 'A text campaign (channel sms) takes the texting settings and, without a window of its own, texts 09:00–20:00 in the voter’s zone',
  })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The slug is taken' })
  async create(@SignedIn() user: SignedInUser, @Body() body: CreateCampaignDto): Promise<CampaignDto> {
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.ManageCampaigns);
    const { slug, name, alliance: _alliance, ...settings } = body;
    const campaign = await this.campaigns.createConfigured(authorization, slug, name, settings);
    await this.audit.record(authorization, 'campaign.created', { subjectType: 'campaign', subjectId: campaign.id });
    return CampaignDto.of(campaign);
  }

  @Get(':id')
  @ApiOkResponse({ type: CampaignDto })
  async get(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto): Promise<CampaignDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    assertManages(authorization, campaign);
    return CampaignDto.of(campaign);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a campaign’s settings (dial mode, caller ids, calling window, retry policy, dates, target; a text campaign’s texting settings)',
  })
  @ApiOkResponse({ type: CampaignDto })
  async update(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto, @Body() body: CampaignSettingsDto): Promise<CampaignDto> {
    const { authorization } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    const campaign = await this.campaigns.update(authorization, params.id, body);
    await this.audit.record(authorization, 'campaign.updated', { subjectType: 'campaign', subjectId: campaign.id, details: { fields: Object.keys(body) } });
    if (body.dialMode !== undefined) await this.requestLineTypes(campaign);
    return CampaignDto.of(campaign);
  }

  @Put(':id/script')
  @ApiOperation({ summary: 'Save the script and survey questions (checked against the alliance’s taxonomy); bumps the script version' })
  @ApiOkResponse({ type: CampaignDto })
  async saveScript(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto, @Body() body: CampaignScriptDto): Promise<CampaignDto> {
    const { authorization } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    const campaign = await this.scripts.save(authorization, params.id, body.script, body.surveyQuestions);
    await this.audit.record(authorization, 'campaign.script_saved', {
      subjectType: 'campaign',
      subjectId: campaign.id,
      details: { version: campaign.scriptVersion },
    });
    return CampaignDto.of(campaign);
  }

  @Post(':id/script-preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a script (sent, or the saved one) for a sample voter, with the variant of a values segment' })
  @ApiOkResponse({ type: ScriptPreviewResponseDto })
  async preview(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto, @Body() body: ScriptPreviewDto): Promise<ScriptPreviewResponseDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    assertManages(authorization, campaign);
    return this.scripts.preview({ ...authorization, displayName: user.displayName }, params.id, body);
  }

  @Post(':id/status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate, pause or finish a campaign; activating builds its call list from the turf assigned for it',
    description: 'A phone campaign needs caller ids and a script to activate; a text campaign an initial message and a sending number or messaging service',
  })
  @ApiOkResponse({ type: CampaignDto })
  async setStatus(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto, @Body() body: CampaignStatusDto): Promise<CampaignDto> {
    const { authorization } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    const campaign = await this.campaigns.transition(authorization, params.id, MOVES[body.status]);
    if (campaign.status === 'active') await this.callLists.refresh(campaign.allianceId, campaign.id);
    await this.audit.record(authorization, `campaign.${campaign.status}`, { subjectType: 'campaign', subjectId: campaign.id });
    await this.requestLineTypes(campaign);
    return CampaignDto.of(campaign);
  }

  @Get(':id/call-list')
  @ApiOperation({ summary: 'How many phones the call list holds, and how many are still to call' })
  @ApiOkResponse({ type: CallListCountsDto })
  async callList(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto): Promise<CallListCountsDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    assertManages(authorization, campaign);
    return this.callLists.counts(campaign.allianceId, campaign.id);
  }

  @Post(':id/call-list/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add the voters turfed since the list was built (idempotent)' })
  @ApiOkResponse({ type: CallListCountsDto })
  async refreshCallList(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto): Promise<CallListCountsDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    assertManages(authorization, campaign);
    const counts = await this.callLists.refresh(campaign.allianceId, campaign.id);
    if (counts.added > 0) await this.requestLineTypes(campaign);
    return { ...counts, done: counts.total - counts.open };
  }

  @Get(':id/line-types')
  @ApiOperation({
    summary: 'How many call-list phones are landlines, mobiles, VoIP or unknown, and how far the line-type lookup of a power or predictive campaign is',
  })
  @ApiOkResponse({ type: LineTypeProgressDto })
  async lineTypeProgress(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto): Promise<LineTypeProgressDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    assertManages(authorization, campaign);
    return this.lineTypes.progress(campaign.allianceId, campaign.id);
  }

  /**
   * An active power or predictive campaign gets its missing line types looked up by the dialer
   * worker. The campaign's change is already saved: a queue that does not answer only delays the
   * lookup (the next activation, mode change or list refresh asks again), so it is logged, not refused.
   */
  private async requestLineTypes(campaign: CampaignRecord): Promise<void> {
    if (campaign.status !== 'active' || !PACED_DIAL_MODES.has(campaign.dialMode)) return;
    await this.lineTypes.request(campaign.id).catch((error: unknown) => {
      this.logger.warn({ message: 'line-type lookup not requested', campaignId: campaign.id, error: error instanceof Error ? error.message : String(error) });
    });
  }
}
