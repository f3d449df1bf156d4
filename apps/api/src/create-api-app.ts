import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appLogger } from '#platform/nest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { apiSettings, type ApiConfig } from './api-config.js';
import { ApiModule } from './api.module.js';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { applyHttpEdge } from './http/http-edge.js';
import { asyncApiDocument } from './live/asyncapi.js';
import { LiveWsAdapter } from './live/live-ws-adapter.js';
import { documentErrorResponses } from './http/openapi-errors.js';
import { ProblemDto } from './http/problem.dto.js';
import { ProblemFilter } from './http/problem.filter.js';
import { EdgeValidationPipe } from './http/validation.pipe.js';
import { API_PREFIX } from './http/prefix.js';

export { API_PREFIX };

const openApi = (app: NestExpressApplication) =>
  documentErrorResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Kinitro API')
        .setDescription(
          'Read models of the Kinitro evaluation platform, admin commands, and a live event feed at `/ws`. Errors are application/problem+json (RFC 9457). Requests are limited per client address (429 with Retry-After).',
        )
        .setVersion('1')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Admin API key' })
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
        .build(),
      { extraModels: [ProblemDto] },
    ),
  );

/**
 * The API, configured but not listening: `await (await createApiApp(config)).listen(port, host)`.
 * Tests listen on port 0; main.ts on API_PORT; a one-process demo can start it next to the other apps.
 */
export const createApiApp = async (config: ApiConfig): Promise<NestExpressApplication> => {
  const settings = apiSettings(config);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, settings), {
    logger: appLogger(config.LOG_LEVEL),
    abortOnError: false,
  });
  applyHttpEdge(app, settings);
  serveDashboard(app);
  // `GET /` (the service's name, version and links) stays at the origin.
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: '/', method: RequestMethod.GET }] });
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(new EdgeValidationPipe(settings.API_BODY_MAX_DEPTH));
  app.useWebSocketAdapter(new LiveWsAdapter(app, config));
  SwaggerModule.setup('api/docs', app, openApi(app), { jsonDocumentUrl: 'api/docs-json' });
  // The /ws protocol, beside the OpenAPI document of the REST routes.
  app
    .getHttpAdapter()
    .get('/api/asyncapi.json', (request: { secure: boolean; get(header: string): string | undefined }, response: { json(body: unknown): void }) =>
      response.json(asyncApiDocument(request.get('host') ?? 'localhost', request.secure)),
    );
  return app;
};
