import { applyDecorators, createParamDecorator, type ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { SignedInUser } from '@app/identity';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { type AuthenticatedRequest, SessionAuthenticationGuard } from './session-authentication.guard';
import { SESSION_COOKIE } from './session-cookie';

/** The signed-in user of a route behind RequireSession. */
export const SignedIn = createParamDecorator((_data: unknown, context: ExecutionContext): SignedInUser => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().signedIn;
});

/** A route (or every route of a controller) that needs an open session, documented as such. */
export function RequireSession(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(SessionAuthenticationGuard),
    ApiCookieAuth(SESSION_COOKIE),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No open session' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The role does not allow this, or X-CSRF-Token is missing on a change' }),
  );
}
