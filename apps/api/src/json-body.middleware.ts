import { BadRequestException, Injectable, type NestMiddleware, PayloadTooLargeException } from '@nestjs/common';
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
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') return next(new PayloadTooLargeException(`The request body is larger than ${JSON_BODY_LIMIT}`));
      if (type === 'entity.parse.failed') return next(new BadRequestException(`The request body is not valid JSON: ${(error as Error).message}`));
      next(error);
    });
  }
}
