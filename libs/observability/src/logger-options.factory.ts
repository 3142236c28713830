import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClsServiceManager } from 'nestjs-cls';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import { CORRELATION_ID_HEADER, correlationIdOf } from '@app/common';
import { type LogDestination, phoneMaskingStream } from './log-destination';
import { maskPhoneNumbers, maskSensitiveFields } from './personal-data-masking.util';

const SEVERITY = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export function buildLoggerOptions(config: AppConfig, serviceName: string, destination: LogDestination, minimumLevel?: 'warn' | 'error'): Params {
  const level = minimumLevel && SEVERITY.indexOf(minimumLevel) > SEVERITY.indexOf(config.log.level) ? minimumLevel : config.log.level;
  return {
    pinoHttp: [
      {
        level,
        base: { service: serviceName },
        messageKey: 'message',
        timestamp: () => `,"time":"${new Date().toISOString()}"`,
        formatters: {
          level: (label) => ({ level: label }),
          log: (object) => maskSensitiveFields(object) as Record<string, unknown>,
        },
        // Every line, from a request or from a job, carries the correlation id of the work it belongs to.
        mixin: () => {
          const correlationId = ClsServiceManager.getClsService().getId() as string | undefined;
          return correlationId ? { correlationId } : {};
        },
        genReqId: (request: IncomingMessage, response: ServerResponse) => {
          const id = correlationIdOf(request);
          response.setHeader(CORRELATION_ID_HEADER, id);
          return id;
        },
        serializers: {
          req: (request: { id: string; method: string; url: string }) => ({ method: request.method, url: maskPhoneNumbers(safelyDecoded(request.url)) }),
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          err: serializeError,
        },
        customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info'),
        autoLogging: { ignore: (request) => /^\/(health|metrics)(\?|$)/.test(request.url ?? '') },
      },
      phoneMaskingStream(destination),
    ],
  };
}

/** Decoded first so an encoded number (`%28919%29%20555-0187`) is recognised and masked. */
function safelyDecoded(url: string): string {
  try {
    return decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    return url;
  }
}

/**
 * Errors keep their type, message, code and stack only. Driver errors carry the query's
 * parameters and a `detail` that quotes row values (names, emails, addresses): never logged.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  // pino-http hands custom serializers the standard serialization (a plain object), pino the Error itself.
  if (error === null || typeof error !== 'object' || typeof (error as { message?: unknown }).message !== 'string') {
    return { message: maskPhoneNumbers(String(error)) };
  }
  const { message, stack, code, type } = error as { message: string; stack?: unknown; code?: unknown; type?: unknown };
  return {
    type: typeof type === 'string' ? type : error.constructor.name,
    message: maskPhoneNumbers(message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: typeof stack === 'string' ? maskPhoneNumbers(stack) : undefined,
  };
}
