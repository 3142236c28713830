import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignService } from '@app/campaigns';
import { type CallingSessionRecord, PhoneBankService, type VolunteerActor } from '@app/contacts';
import { NotFoundDomainException } from '@app/common';
import { DialerSessionService } from '@app/dialer';
import { AccessPolicyService, Permission, ROLE_PERMISSIONS, type SignedInUser } from '@app/identity';
import { TelephonyPort } from '@app/telephony';
import { authorizeForRecord } from '../auth/record-authorization';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import {
  CallDto,
  CallingSessionDto,
  DialerStateDto,
  DispositionDto,
  LeaseDto,
  NextVoterDto,
  SavedAttemptDto,
  SessionCallParamsDto,
  SessionParamsDto,
  SessionStatusDto,
  StartSessionDto,
  VoiceAccessDto,
} from './calling.dto';

/**
 * A volunteer's calling session: one voter at a time (never a list), the call on their click,
 * the disposition and answers saved once. Every route acts only on the caller's own session.
 */
@ApiTags('calling')
@Controller('calling-sessions')
@RequireSession()
export class CallingSessionsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly campaigns: CampaignService,
    private readonly phoneBank: PhoneBankService,
    private readonly telephony: TelephonyPort,
    private readonly dialerSessions: DialerSessionService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Start (or resume) your calling session in an active campaign' })
  @ApiCreatedResponse({ type: CallingSessionDto })
  async start(@SignedIn() user: SignedInUser, @Body() body: StartSessionDto): Promise<CallingSessionDto> {
    const campaign = await this.campaigns.findById(body.campaignId);
    const actor = await this.actorFor(user, campaign.allianceId, 'Campaign', campaign.id);
    const session = await this.phoneBank.startSession(actor, campaign.id, body.organizationId);
    return CallingSessionDto.of(session);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Your session with its stats: calls, conversations, talk and active time' })
  @ApiOkResponse({ type: CallingSessionDto })
  async get(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto): Promise<CallingSessionDto> {
    const { actor, session: own } = await this.sessionActor(user, params.id);
    const { session, stats } = await this.phoneBank.session(actor, own);
    return CallingSessionDto.of(session, stats);
  }

  @Post(':id/status')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause, resume or end your session; pausing and ending give your current voter back' })
  @ApiOkResponse({ type: CallingSessionDto })
  async setStatus(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto, @Body() body: SessionStatusDto): Promise<CallingSessionDto> {
    const { actor, session: own } = await this.sessionActor(user, params.id);
    const session =
      body.status === 'paused'
        ? await this.phoneBank.pause(actor, own)
        : body.status === 'ended'
          ? await this.phoneBank.end(actor, own)
          : await this.phoneBank.resume(actor, own);
    return CallingSessionDto.of(session);
  }

  @Post(':id/dialer-state')
  @HttpCode(200)
  @ApiOperation({ summary: 'Power and predictive campaigns: be ready for calls (the dialer connects you with voters who answer), or stop' })
  @ApiOkResponse({ type: CallingSessionDto })
  async setDialerState(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto, @Body() body: DialerStateDto): Promise<CallingSessionDto> {
    const { session } = await this.sessionActor(user, params.id);
    if (body.state === 'ready') await this.dialerSessions.ready(session.id);
    else await this.dialerSessions.stopTakingCalls(session.id);
    return CallingSessionDto.of(await this.phoneBank.sessionById(session.id));
  }

  @Post(':id/next')
  @HttpCode(200)
  @ApiOperation({ summary: 'The voter to call now (yours until you record a disposition or skip), or why there is none' })
  @ApiOkResponse({ type: NextVoterDto })
  async next(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto): Promise<NextVoterDto> {
    return NextVoterDto.of(await this.phoneBank.next(...(await this.ownSession(user, params.id))));
  }

  @Post(':id/skip')
  @HttpCode(204)
  @ApiOperation({ summary: 'Give the current voter back without calling them' })
  async skip(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto, @Body() body: LeaseDto): Promise<void> {
    await this.phoneBank.skip(...(await this.ownSession(user, params.id)), body.leaseId);
  }

  @Post(':id/calls')
  @ApiOperation({ summary: 'Call the voter on your card; asking twice places one call' })
  @ApiCreatedResponse({ type: CallDto })
  async call(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto, @Body() body: LeaseDto): Promise<CallDto> {
    return CallDto.of(await this.phoneBank.placeCall(...(await this.ownSession(user, params.id)), body.leaseId));
  }

  @Get(':id/calls/:callId')
  @ApiOkResponse({ type: CallDto })
  async getCall(@SignedIn() user: SignedInUser, @Param() params: SessionCallParamsDto): Promise<CallDto> {
    return CallDto.of(await this.phoneBank.call(...(await this.ownSession(user, params.id)), params.callId));
  }

  @Post(':id/calls/:callId/hangup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hang up (or cancel) the call' })
  @ApiOkResponse({ type: CallDto })
  async hangUp(@SignedIn() user: SignedInUser, @Param() params: SessionCallParamsDto): Promise<CallDto> {
    return CallDto.of(await this.phoneBank.hangUp(...(await this.ownSession(user, params.id)), params.callId));
  }

  @Post(':id/dispositions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the disposition and survey answers for your voter, once: a repeat returns the first save' })
  @ApiOkResponse({ type: SavedAttemptDto })
  async dispose(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto, @Body() body: DispositionDto): Promise<SavedAttemptDto> {
    const saved = await this.phoneBank.saveDisposition(...(await this.ownSession(user, params.id)), body.leaseId, {
      disposition: body.disposition,
      answers: body.answers ?? [],
      callBackAt: body.callBackAt ?? null,
    });
    // Power and predictive: the volunteer leaves wrap-up (a no-op in preview, where nobody is in the dialer).
    if (!saved.repeated) await this.dialerSessions.afterDisposition(params.id, body.readyForNext ?? true);
    return SavedAttemptDto.of(saved);
  }

  @Get(':id/voice-access')
  @ApiOperation({ summary: 'What your browser needs to join calls: a Twilio Voice SDK token, or "simulated" on the carrier simulator' })
  @ApiOkResponse({ type: VoiceAccessDto })
  async voiceAccess(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto): Promise<VoiceAccessDto> {
    const { session } = await this.sessionActor(user, params.id);
    return { ...this.telephony.browserVoiceAccess(`session-${session.id}`) };
  }

  /**
   * The caller's own session and their standing in its alliance, decided from the memberships the
   * session cookie already carries: every request of a calling session needs it, so it costs one
   * query (the session row), not the policy layer's lookups. A session of someone else, or of an
   * alliance where the caller no longer may call, answers as missing.
   */
  private async sessionActor(user: SignedInUser, sessionId: string): Promise<{ actor: VolunteerActor; session: CallingSessionRecord }> {
    const session = await this.phoneBank.sessionById(sessionId);
    const mayCall = user.memberships.some(
      (membership) => membership.allianceId === session.allianceId && ROLE_PERMISSIONS[membership.role].has(Permission.CallVoters),
    );
    if (session.userId !== user.userId || !mayCall) throw new NotFoundDomainException('Calling session', sessionId);
    const scope = { kind: 'organizations' as const, allianceId: session.allianceId, organizationIds: [session.organizationId], regionCounties: [] };
    return {
      session,
      actor: {
        userId: user.userId,
        allianceId: session.allianceId,
        allianceWide: false,
        actingOrganizations: [],
        rowScope: scope,
        visibility: scope,
        displayName: user.displayName,
      },
    };
  }

  /** The actor and the session, as the service's first two arguments. */
  private async ownSession(user: SignedInUser, sessionId: string): Promise<[VolunteerActor, CallingSessionRecord]> {
    const { actor, session } = await this.sessionActor(user, sessionId);
    return [actor, session];
  }

  private async actorFor(user: SignedInUser, allianceId: string, what: string, id: string): Promise<VolunteerActor> {
    const authorization = await authorizeForRecord(this.policy, user, { what, id, allianceId }, Permission.CallVoters);
    return { ...authorization, displayName: user.displayName };
  }
}
