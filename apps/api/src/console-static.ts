import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

const NOT_CONSOLE = /^\/(api|health|metrics)(\/|\?|$)/;

/**
 * Serves the built console: its files as they are, and index.html for any other page a browser
 * asks for (the console routes on the client). API paths are never touched, so their errors stay
 * the API's. (@nestjs/serve-static turns every error on excluded paths into a 404, hence our own.)
 */
export function serveConsole(app: NestExpressApplication, directory: string): void {
  const indexFile = join(directory, 'index.html');
  app.useStaticAssets(directory, { index: false, maxAge: '1h', immutable: false });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || NOT_CONSOLE.test(request.path) || !request.accepts('html')) return next();
    if (!existsSync(indexFile)) {
      response.status(503).type('text/plain').send('The console is not built: run `npm run build`.');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(indexFile);
  });
}
