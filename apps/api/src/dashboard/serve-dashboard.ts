import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { defaultDashboardDir } from './dashboard-dir.js';
import { isPagePath, wantsDashboard } from './wants-dashboard.js';

/** The parts of Express's request and response this middleware uses (the app has no @types/express). */
interface NavigationRequest {
  method: string;
  path: string;
  accepts(types: string[]): string | false;
}
interface PageResponse {
  vary(field: string): unknown;
  setHeader(name: string, value: string): unknown;
  type(type: string): PageResponse;
  send(body: string): unknown;
}

/**
 * The dashboard's own policy, replacing helmet's on its page: scripts and styles from this origin only; frames
 * and trajectories may come from the object store's origin (presigned S3 URLs), the live feed from this host's /ws.
 */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: http: https:",
  "connect-src 'self' ws: wss: http: https:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Serves the built dashboard (`vite build` into dist/dashboard): hashed assets under /dashboard/ with immutable
 * caching, and index.html to browsers navigating anywhere outside the API (see wantsDashboard). Registered before
 * the routes; without a build it serves nothing and says so once, and `GET /` stays JSON.
 */
export const serveDashboard = (app: NestExpressApplication, dir: string = defaultDashboardDir()): void => {
  let index: string;
  try {
    index = readFileSync(join(dir, 'index.html'), 'utf8');
  } catch {
    new Logger('Dashboard').warn(`no dashboard build in ${dir} (npm run build): / answers JSON only`);
    return;
  }
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/dashboard/assets/', index: false, immutable: true, maxAge: '365d' });
  app.use((request: NavigationRequest, response: PageResponse, next: () => void) => {
    // The same path answers HTML or JSON by Accept: say so to caches either way.
    if (isPagePath(request.path)) response.vary('Accept');
    if (!wantsDashboard(request.method, request.path, request.accepts(['json', 'html']))) return next();
    response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    response.setHeader('Cache-Control', 'no-cache');
    response.type('html').send(index);
  });
};
