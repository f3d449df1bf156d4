import type { FrameRef } from './components/camera.js';
/** The API this page was served by: REST under /api/v1, the live feed at /ws, on the same origin. */
export const API = '/api/v1';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** An episode as `GET /episodes/{id}` and the `/episodes` list give it (frame URLs minted on read). */
export interface Episode {
  id: string;
  evaluationId: string;
  jobId: string;
  validator: string;
  task: string;
  episodeIndex: number;
  seed: number;
  steps: number;
  totalReward: number;
  success: boolean;
  terminated: boolean;
  truncated: boolean;
  trajectoryUrl: string | null;
  frames: FrameRef[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

const KEY_STORAGE = 'kinitro.apiKey';

/**
 * The API key the reader gave this tab (sessionStorage: gone with the tab, never sent anywhere but this API), for
 * the reads that need one (the logs: docs/api.md, "API keys and roles"); null when none was given.
 */
export const storedApiKey = {
  get: (): string | null => sessionStorage.getItem(KEY_STORAGE),
  set: (key: string): void => sessionStorage.setItem(KEY_STORAGE, key),
  clear: (): void => sessionStorage.removeItem(KEY_STORAGE),
};

/** GET a JSON resource (with the stored API key, if any); a problem+json answer becomes an ApiError carrying its title and detail. */
export const getJson = async <T>(path: string): Promise<T> => {
  const key = storedApiKey.get();
  const response = await fetch(`${API}${path}`, { headers: { accept: 'application/json', ...(key && { 'x-api-key': key }) } });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { title?: string; detail?: string };
    throw new ApiError(response.status, `${path}: ${response.status} ${problem.detail ?? problem.title ?? response.statusText}`);
  }
  return (await response.json()) as T;
};

/**
 * A resource that may not exist on this API (a route another release adds, an aggregate with no events yet):
 * null on 404, so its panel hides instead of failing the page.
 */
export const getOptional = async <T>(path: string): Promise<T | null> => {
  try {
    return await getJson<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
};

let documented: Promise<Set<string>> | undefined;

/**
 * Whether this API has a route (an OpenAPI path template such as `/api/v1/competitions/{id}/scores`), from its
 * OpenAPI document, read once. Panels for routes another release adds ask first, so an older API shows no panel
 * and the browser logs no 404.
 */
export const hasRoute = async (template: string): Promise<boolean> => {
  documented ??= fetch('/api/docs-json', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<{ paths?: Record<string, unknown> }>) : {}))
    .then((doc: { paths?: Record<string, unknown> }) => new Set(Object.keys(doc.paths ?? {})))
    .catch(() => new Set<string>());
  return (await documented).has(template);
};

/** An event as the audit routes (`/events/:aggregate/:id`) and the live feed give it. */
export interface LoggedEvent {
  type: string;
  aggregate: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: string;
  streamSequence: number;
  data: Record<string, any>;
}

export interface AggregateHistory {
  aggregate: string;
  aggregateId: string;
  version: number;
  items: LoggedEvent[];
}
