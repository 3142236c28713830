import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config';
import { InvitationAcceptanceService, InvitationService, type SignedInUser } from '@app/identity';
import { setSessionCookie } from '../auth/session-cookie';
import { SessionResponseDto } from '../auth/session.dto';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AcceptInvitationDto, CreateInvitationDto, InvitationDto, InvitationPreviewDto, InvitationTokenDto } from './invitation.dto';

const LINK_NOT_OPEN = 'The link is unknown, used or expired (one answer for all three)';

@ApiTags('invitations')
@Controller('invitations')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A field is missing or malformed; the message and details.field name it' })
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationService,
    private readonly acceptances: InvitationAcceptanceService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @RequireSession()
  @ApiOperation({ summary: 'Invite someone by email to a role you may grant; the single-use link goes out through the notifier' })
  @ApiCreatedResponse({ type: InvitationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such alliance among yours, or no such organization in it' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'That person already holds the role there' })
  async invite(@SignedIn() user: SignedInUser, @Body() body: CreateInvitationDto): Promise<InvitationDto> {
    const { alliance, organization, role, email, expiresInDays } = body;
    return InvitationDto.of(await this.invitations.invite(user, { allianceSlug: alliance, organizationSlug: organization, role, email, expiresInDays }));
  }

  @Post('lookup')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'What an invitation link is for (no session needed): the organization, the role and the expiry' })
  @ApiOkResponse({ type: InvitationPreviewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: LINK_NOT_OPEN })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many requests from this address' })
  async lookup(@Body() body: InvitationTokenDto, @Req() request: Request): Promise<InvitationPreviewDto> {
    return InvitationPreviewDto.of(await this.acceptances.preview(body.token, request.ip ?? 'unknown'));
  }

  @Post('accept')
  @ApiOperation({
    summary: 'Accept an invitation (no session needed): creates the account, or joins the existing one given its current password, and signs in',
  })
  @ApiCreatedResponse({ type: SessionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: LINK_NOT_OPEN })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'The email has an account and the password is not its current one' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many requests from this address, or failed passwords for this account' })
  async accept(@Body() body: AcceptInvitationDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionResponseDto> {
    const session = await this.acceptances.accept({
      token: body.token,
      displayName: body.displayName,
      password: body.password,
      address: request.ip ?? 'unknown',
    });
    setSessionCookie(response, session, this.config.sessions.secureCookies);
    return SessionResponseDto.of(session.user, session.csrfToken);
  }
}
