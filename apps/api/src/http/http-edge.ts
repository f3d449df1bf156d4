import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { recordHttpMetrics, serveMetrics } from '#platform';
import type { ApiSettings } from '../api-config.js';
import { JSON_MEDIA_TYPES, requireJsonBodies } from './json-body.js';

/** What a browser on an allowed origin may send and read (the limits' headers included, so a dashboard can back off). */
const cors = (origins: string[]) => ({
  origin: origins.includes('*') ? '*' : origins,
  methods: ['GET', 'HEAD', 'POST', 'PATCH'],
  allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type'],
  exposedHeaders: ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'WWW-Authenticate'],
  maxAge: 600,
});

/**
 * Express-level settings of the HTTP edge, before any route: security headers (helmet, which also drops
 * X-Powered-By), CORS for the configured origins only, the proxy hops to trust for client addresses, JSON-only
 * bodies of bounded size. Every request is timed by route (`kinitro_http_request_seconds`), and Prometheus scrapes
 * `GET /metrics` on the API's own port, outside the `/api/v1` prefix and its rate limit.
 */
export const applyHttpEdge = (app: NestExpressApplication, settings: ApiSettings): void => {
  app.disable('x-powered-by');
  app.use(recordHttpMetrics);
  app.getHttpAdapter().get('/metrics', serveMetrics);
  // No upgrade-insecure-requests: served over plain HTTP (TLS ends at a proxy, or none on a private network), the
  // docs page's scripts would be asked for over https and fail.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (settings.API_CORS_ORIGINS.length > 0) app.enableCors(cors(settings.API_CORS_ORIGINS));
  if (settings.API_TRUST_PROXY !== undefined) app.set('trust proxy', settings.API_TRUST_PROXY);
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: settings.API_BODY_LIMIT_BYTES, type: JSON_MEDIA_TYPES });
};
