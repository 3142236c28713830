import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config';
import { csrfTokenOf, SessionService } from '@app/identity';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { type AuthenticatedRequest, SessionAuthenticationGuard } from './session-authentication.guard';
import { SESSION_COOKIE, sessionCookieOptions, setSessionCookie } from './session-cookie';
import { SessionResponseDto, SignInDto } from './session.dto';

@ApiTags('auth')
@Controller('auth/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Sign in with email and password; the session travels in an httpOnly cookie' })
  @ApiCreatedResponse({ type: SessionResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'The email and password do not match (the same answer whether or not the email is known)' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'Too many attempts for this account or from this address; details.retryAfterSeconds says when to try again',
  })
  async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionResponseDto> {
    const session = await this.sessions.signIn(body.email, body.password, request.ip ?? 'unknown');
    setSessionCookie(response, session, this.config.sessions.secureCookies);
    return SessionResponseDto.of(session.user, session.csrfToken);
  }

  @Get('current')
  @UseGuards(SessionAuthenticationGuard)
  @ApiOperation({ summary: 'Who is signed in, with their memberships and the anti-CSRF token' })
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  current(@Req() request: AuthenticatedRequest): SessionResponseDto {
    return SessionResponseDto.of(request.signedIn, csrfTokenOf(request.sessionToken));
  }

  @Delete('current')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(SessionAuthenticationGuard)
  @ApiOperation({ summary: 'Sign out: the session is revoked on the server, not only forgotten by the browser' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The X-CSRF-Token header is missing or wrong' })
  async signOut(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.signOut(request.signedIn);
    response.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config.sessions.secureCookies));
  }
}
