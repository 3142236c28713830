import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CORRELATION_ID_HEADER, correlationIdOf } from './correlation-id.util';
import { ClsServiceManager } from 'nestjs-cls';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainException } from './domain.exception';
import type { ErrorResponseBody } from './error-response-body';
import { httpStatusOf } from './http-status-of.util';

const CODE_BY_HTTP_STATUS: Readonly<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: DomainErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: DomainErrorCode.Unauthenticated,
  [HttpStatus.FORBIDDEN]: DomainErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: DomainErrorCode.NotFound,
  [HttpStatus.CONFLICT]: DomainErrorCode.Conflict,
  [HttpStatus.TOO_MANY_REQUESTS]: DomainErrorCode.RateLimited,
  [HttpStatus.SERVICE_UNAVAILABLE]: DomainErrorCode.DependencyUnavailable,
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
};

/**
 * The one place errors become HTTP: domain codes map to their status, framework 4xx errors keep
 * theirs, and anything else (including a thrown 5xx HttpException, whose message may quote
 * internals) is logged in full but answered as a bare 500 with the correlation id.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    // Errors raised before the CLS middleware ran (body parsing) still get the request's id.
    const correlationId = (ClsServiceManager.getClsService().getId() as string | undefined) ?? correlationIdOf(host.switchToHttp().getRequest<Request>());
    response.setHeader(CORRELATION_ID_HEADER, correlationId);
    // A limit that says when it lifts says so in the standard header too, for clients that back off on it.
    const retryAfterSeconds = exception instanceof DomainException ? exception.details.retryAfterSeconds : undefined;
    if (typeof retryAfterSeconds === 'number') response.setHeader('Retry-After', String(retryAfterSeconds));
    const body = this.toBody(exception, correlationId);
    if (body.statusCode >= 500 && !(exception instanceof DomainException)) {
      this.logger.error({ err: exception, correlationId }, 'unexpected error');
    } else {
      this.logger.debug({ code: body.code, statusCode: body.statusCode }, body.message);
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, correlationId: string): ErrorResponseBody {
    if (exception instanceof DomainException) {
      const details = Object.keys(exception.details).length > 0 ? exception.details : undefined;
      return { statusCode: httpStatusOf(exception.code), code: exception.code, message: exception.message, details, correlationId };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const statusCode = exception.getStatus();
      const payload = exception.getResponse();
      const { message, details } = describeHttpPayload(payload, exception.message);
      return { statusCode, code: CODE_BY_HTTP_STATUS[statusCode] ?? 'http_error', message, details, correlationId };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal_error', message: 'Internal server error', correlationId };
  }
}

/** ValidationPipe answers a list of messages; keep them as `details.errors` and join them for `message`. */
function describeHttpPayload(payload: string | object, fallback: string): { message: string; details?: Record<string, unknown> } {
  if (typeof payload === 'string') return { message: payload };
  const record = payload as Record<string, unknown>;
  if (Array.isArray(record.message)) {
    const errors = record.message.map(String);
    return { message: errors.join('; '), details: { errors } };
  }
  if (typeof record.message === 'string') {
    const { message, statusCode: _statusCode, error: _error, ...rest } = record;
    return { message, details: Object.keys(rest).length > 0 ? rest : undefined };
  }
  return { message: fallback, details: record };
}
