import { BadRequestException, Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response, urlencoded } from 'express';

const parseForm = urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

/** Carrier webhooks post forms (application/x-www-form-urlencoded); only their routes read them. */
@Injectable()
export class FormBodyMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    parseForm(request, response, (error?: unknown) => (error ? next(new BadRequestException('The form body could not be read')) : next()));
  }
}
