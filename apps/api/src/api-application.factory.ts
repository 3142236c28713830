import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from './auth/session-cookie';
import { Logger } from 'nestjs-pino';
import { ApiModule, type ApiModuleOptions } from './api.module';
import { serveConsole } from './console-static';

export const API_PREFIX = 'api';

/** Builds the HTTP app the same way for `main` and for tests; a failure half-way closes what was opened. */
export async function createApiApplication(options: ApiModuleOptions): Promise<INestApplication> {
  // Bodies are parsed by JsonBodyMiddleware, inside Nest's pipeline, not by Nest's default parser.
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), { bufferLogs: true, bodyParser: false, abortOnError: false });
  try {
    configure(app, options);
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

function configure(app: NestExpressApplication, options: ApiModuleOptions): void {
  app.useLogger(app.get(Logger));
  // Nest 11 flushes start-up logs on `useLogger` only for application contexts; an HTTP app must ask.
  app.flushLogs();
  app.disable('x-powered-by');
  serveConsole(app, options.config.consoleDirectory);
  app.set('trust proxy', 'loopback');
  app.use(cookieParser());
  // The console's realtime call state: plain WebSockets on the api's own port (path /api/realtime).
  app.useWebSocketAdapter(new WsAdapter(app));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Crossroads API')
      .setDescription('Voter contact and phone banking for alliances of community organizations')
      .setVersion('0.1.0')
      .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, SESSION_COOKIE)
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json` });
}
