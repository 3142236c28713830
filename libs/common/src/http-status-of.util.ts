import { HttpStatus } from '@nestjs/common';
import { assertUnreachable } from './assert-unreachable.util';
import { DomainErrorCode } from './domain-error-code.enum';

export function httpStatusOf(code: DomainErrorCode): HttpStatus {
  switch (code) {
    case DomainErrorCode.ValidationFailed:
      return HttpStatus.BAD_REQUEST;
    case DomainErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case DomainErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case DomainErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case DomainErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case DomainErrorCode.RateLimited:
      return HttpStatus.TOO_MANY_REQUESTS;
    case DomainErrorCode.DependencyUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    default:
      return assertUnreachable(code);
  }
}
