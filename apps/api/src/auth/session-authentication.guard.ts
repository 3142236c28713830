import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainErrorCode, DomainException } from '@app/common';
import { isCsrfTokenOf, SessionService, type SignedInUser } from '@app/identity';
import { CSRF_HEADER, SESSION_COOKIE } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthenticatedRequest extends Request {
  signedIn: SignedInUser;
  sessionToken: string;
}

/**
 * Lets a request through only with an open session in its cookie, and, for anything that
 * changes state, the session's anti-CSRF token in its header.
 */
@Injectable()
export class SessionAuthenticationGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    const user = token === undefined ? null : await this.sessions.authenticate(token);
    if (token === undefined || user === null) throw new DomainException(DomainErrorCode.Unauthenticated, 'Sign in first: there is no open session');
    if (!SAFE_METHODS.has(request.method) && !isCsrfTokenOf(token, request.header(CSRF_HEADER))) {
      throw new DomainException(DomainErrorCode.Forbidden, 'The X-CSRF-Token header is missing or does not belong to this session');
    }
    request.signedIn = user;
    request.sessionToken = token;
    return true;
  }
}
