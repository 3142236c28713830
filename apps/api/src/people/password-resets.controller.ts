import { Body, Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { PasswordResetService } from '@app/identity';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { CompletePasswordResetDto, RequestPasswordResetDto } from './password-reset.dto';

@ApiTags('auth')
@Controller('password-resets')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A field is missing or malformed; the message names it' })
@ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many requests from this address; details.retryAfterSeconds says when to try again' })
export class PasswordResetsController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Ask for a password reset link (no session needed); the same answer whether or not the email has an account' })
  @ApiAcceptedResponse({ description: 'If the email has an account, a single-use link valid for an hour is on its way' })
  async request(@Body() body: RequestPasswordResetDto, @Req() request: Request): Promise<void> {
    await this.resets.request(body.email, request.ip ?? 'unknown');
  }

  @Post('complete')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set a new password with a reset link (no session needed); every session the account had is signed out' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'The link is unknown, used or expired (one answer for all three)' })
  async complete(@Body() body: CompletePasswordResetDto, @Req() request: Request): Promise<void> {
    await this.resets.complete(body.token, body.password, request.ip ?? 'unknown');
  }
}
