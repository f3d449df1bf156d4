import { API_PREFIX } from '../http/prefix.js';

/** The paths that stay the API's whatever the client accepts: the routes, their docs, the live feed, metrics, the assets. */
const API_PATHS = [`/${API_PREFIX.split('/')[0]}`, '/ws', '/metrics', '/dashboard/'];

const isApiPath = (path: string): boolean =>
  API_PATHS.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));

/** A path the dashboard has a page for (it routes on the client), which API clients may also ask for (`/`). */
export const isPagePath = (path: string): boolean => !isApiPath(path);

/**
 * A browser navigating (GET or HEAD, preferring text/html to JSON) to a path outside the API gets the dashboard's
 * index.html, which routes on the client: `/`, `/jobs`, `/episodes/:id?step=N`. API clients (no Accept, `* /*`,
 * application/json) keep getting JSON from the same paths, `GET /` included.
 */
export const wantsDashboard = (method: string, path: string, preferred: string | false): boolean =>
  (method === 'GET' || method === 'HEAD') && preferred === 'html' && isPagePath(path);
