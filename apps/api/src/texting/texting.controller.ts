import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CampaignService } from '@app/campaigns';
import { NotFoundDomainException } from '@app/common';
import { AccessPolicyService, Permission, ROLE_PERMISSIONS, type SignedInUser } from '@app/identity';
import { type TexterActor, TexterService } from '@app/messaging';
import { authorizeForRecord } from '../auth/record-authorization';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import {
  AssignmentDto,
  AssignmentRequestDto,
  CampaignParamsDto,
  CloseConversationDto,
  ClosedConversationDto,
  ConversationDetailDto,
  ConversationPageDto,
  ConversationParamsDto,
  ConversationsQueryDto,
  NextInitialDto,
  ReplyDto,
  SentTextDto,
} from './texting.dto';

/**
 * The texter's console: batches of contacts, the next initial text (sent with one action), the
 * replies inbox and closing a conversation with its survey answers. A texter acts only on their
 * own conversations; texting is covered by the campaign-calling permission.
 */
@ApiTags('texting')
@Controller('texting')
@RequireSession()
export class TextingController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly campaigns: CampaignService,
    private readonly texter: TexterService,
  ) {}

  @Post('campaigns/:campaignId/assignments')
  @ApiOperation({ summary: 'Get a batch of contacts to text (refused while earlier ones still wait for a first text or a reply)' })
  @ApiCreatedResponse({ type: AssignmentDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'details.reason: backlog_pending, campaign_not_active, not_text_campaign, no_sender' })
  async assign(@SignedIn() user: SignedInUser, @Param() params: CampaignParamsDto, @Body() body: AssignmentRequestDto): Promise<AssignmentDto> {
    const actor = await this.campaignActor(user, params.campaignId);
    return AssignmentDto.of(await this.texter.requestAssignment(actor, params.campaignId, body));
  }

  @Get('campaigns/:campaignId/next-initial')
  @ApiOperation({ summary: 'Your next conversation waiting for its first text, with the text as it will be sent (first name and last 4 digits only)' })
  @ApiOkResponse({ type: NextInitialDto })
  async nextInitial(@SignedIn() user: SignedInUser, @Param() params: CampaignParamsDto): Promise<NextInitialDto> {
    const actor = await this.campaignActor(user, params.campaignId);
    return NextInitialDto.of(await this.texter.nextInitial(actor, params.campaignId));
  }

  @Get('campaigns/:campaignId/conversations')
  @ApiOperation({ summary: 'Your conversations in one status, the longest-waiting first, a page at a time' })
  @ApiOkResponse({ type: ConversationPageDto })
  async list(@SignedIn() user: SignedInUser, @Param() params: CampaignParamsDto, @Query() query: ConversationsQueryDto): Promise<ConversationPageDto> {
    const actor = await this.campaignActor(user, params.campaignId);
    return ConversationPageDto.of(await this.texter.listConversations(actor, params.campaignId, query));
  }

  @Get('conversations/:id')
  @ApiOperation({ summary: 'One of your conversations: every text in and out, canned responses for this voter, survey questions' })
  @ApiOkResponse({ type: ConversationDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@SignedIn() user: SignedInUser, @Param() params: ConversationParamsDto): Promise<ConversationDetailDto> {
    const actor = await this.conversationActor(user, params.id);
    return ConversationDetailDto.of(await this.texter.conversation(actor, params.id));
  }

  @Post('conversations/:id/initial')
  @ApiOperation({ summary: 'Send the conversation’s first text (one click each); a repeat returns the same text with 200' })
  @ApiCreatedResponse({ type: SentTextDto, description: 'Written now; heldUntil says when it goes if the voter’s window is closed' })
  @ApiOkResponse({ type: SentTextDto, description: 'Already written (a double click or a retry): the same text' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'details.reason: wrong_status, phone_blocked, phone_already_texted, campaign_not_active, …' })
  async sendInitial(
    @SignedIn() user: SignedInUser,
    @Param() params: ConversationParamsDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SentTextDto> {
    const actor = await this.conversationActor(user, params.id);
    const sent = await this.texter.sendInitial(actor, params.id);
    response.status(sent.repeated ? 200 : 201);
    return SentTextDto.of(sent);
  }

  @Post('conversations/:id/replies')
  @ApiOperation({ summary: 'Reply to the voter; the same clientKey twice sends once (200 with the first text)' })
  @ApiCreatedResponse({ type: SentTextDto })
  @ApiOkResponse({ type: SentTextDto, description: 'A repeat of an earlier clientKey' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'details.reason: conversation_closed, phone_blocked, initial_not_sent, campaign_not_active' })
  async reply(
    @SignedIn() user: SignedInUser,
    @Param() params: ConversationParamsDto,
    @Body() body: ReplyDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SentTextDto> {
    const actor = await this.conversationActor(user, params.id);
    const sent = await this.texter.reply(actor, params.id, body);
    response.status(sent.repeated ? 200 : 201);
    return SentTextDto.of(sent);
  }

  @Post('conversations/:id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the conversation with its survey answers and disposition, recorded once (a repeat returns the first)' })
  @ApiOkResponse({ type: ClosedConversationDto })
  async close(@SignedIn() user: SignedInUser, @Param() params: ConversationParamsDto, @Body() body: CloseConversationDto): Promise<ClosedConversationDto> {
    const actor = await this.conversationActor(user, params.id);
    return ClosedConversationDto.of(await this.texter.close(actor, params.id, { answers: body.answers ?? [], disposition: body.disposition }));
  }

  private async campaignActor(user: SignedInUser, campaignId: string): Promise<TexterActor> {
    const campaign = await this.campaigns.findById(campaignId);
    const authorization = await authorizeForRecord(
      this.policy,
      user,
      { what: 'Campaign', id: campaignId, allianceId: campaign.allianceId },
      Permission.CallVoters,
    );
    return { ...authorization, displayName: user.displayName };
  }

  /** The texter in the alliance holding their conversation; someone else's conversation answers as missing. */
  private async conversationActor(user: SignedInUser, conversationId: string): Promise<TexterActor> {
    const allianceIds = [
      ...new Set(
        user.memberships.filter((membership) => ROLE_PERMISSIONS[membership.role].has(Permission.CallVoters)).map((membership) => membership.allianceId),
      ),
    ];
    const allianceId = await this.texter.allianceOfConversation(allianceIds, user.userId, conversationId);
    if (allianceId === null) throw new NotFoundDomainException('Conversation', conversationId);
    const authorization = await authorizeForRecord(this.policy, user, { what: 'Conversation', id: conversationId, allianceId }, Permission.CallVoters);
    return { ...authorization, displayName: user.displayName };
  }
}
