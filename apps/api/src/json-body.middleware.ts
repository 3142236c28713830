import { BadRequestException, HttpException, Injectable, type NestMiddleware, PayloadTooLargeException } from '@nestjs/common';
import { json, type NextFunction, type Request, type Response } from 'express';

export const JSON_BODY_LIMIT = '1mb';
const parseJson = json({ limit: JSON_BODY_LIMIT });

/**
 * JSON parsing as a Nest middleware, after the correlation-id middleware, so a malformed or
 * oversized body is answered by the one exception filter (with its code and correlation id)
 * rather than by Express's default error page.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    parseJson(request, response, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      const { type, status } = error as { type?: string; status?: number };
      if (type === 'entity.too.large') return next(new PayloadTooLargeException(`The request body is larger than ${JSON_BODY_LIMIT}`));
      // The parser's own message quotes the body (personal data): name the problem, not the text.
      if (type === 'entity.parse.failed') return next(new BadRequestException('The request body is not valid JSON'));
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return next(new HttpException(`The request body could not be read: ${type ?? 'bad request'}`, status));
      }
      next(error);
    });
  }
}
