import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http.js';
import { modelInfo, pathsInfo, resolveFile, tree } from './routes-read.js';
import { commit, createRepo, lfsBatch, lfsUpload, preupload } from './routes-write.js';
import { parseRepoId, type HubStore } from './store.js';

/** The server's settings that handlers read. */
export interface HubContext {
  store: HubStore;
  pageSize: number;
  lfsThresholdBytes: number;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** `http://host:port` as the client addressed us, for the URLs we hand back. */
  origin: string;
  /** `owner/name`, already checked to exist. */
  repo: string;
  hub: HubContext;
}

interface Route {
  methods: readonly string[];
  /** Groups 1 and 2 are the repo owner and name (except for repo creation); the rest are passed to `handle`. */
  pattern: RegExp;
  /** Needs a write token when the server is configured with tokens. */
  write: boolean;
  forRepo: boolean;
  handle(ctx: RouteContext, args: (string | undefined)[]): void | Promise<void>;
}

const MODEL = String.raw`^/api/models/([^/]+)/([^/]+)`;

const routes: Route[] = [
  { methods: ['GET'], pattern: new RegExp(`${MODEL}/revision/([^/]+)$`), write: false, forRepo: true, handle: (c, [rev]) => modelInfo(c, rev!) },
  { methods: ['GET'], pattern: new RegExp(`${MODEL}/tree/([^/]+)(?:/(.+))?$`), write: false, forRepo: true, handle: (c, [rev, under]) => tree(c, rev!, under) },
  { methods: ['POST'], pattern: new RegExp(`${MODEL}/paths-info/([^/]+)$`), write: false, forRepo: true, handle: (c, [rev]) => pathsInfo(c, rev!) },
  {
    methods: ['GET', 'HEAD'],
    pattern: /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/,
    write: false,
    forRepo: true,
    handle: (c, [rev, path]) => resolveFile(c, rev!, path!),
  },
  { methods: ['POST'], pattern: /^\/api\/repos\/create$/, write: true, forRepo: false, handle: (c) => createRepo(c) },
  { methods: ['POST'], pattern: new RegExp(`${MODEL}/preupload/([^/]+)$`), write: true, forRepo: true, handle: (c) => preupload(c) },
  { methods: ['POST'], pattern: new RegExp(`${MODEL}/commit/([^/]+)$`), write: true, forRepo: true, handle: (c, [branch]) => commit(c, branch!) },
  { methods: ['POST'], pattern: /^\/([^/]+)\/([^/]+)\.git\/info\/lfs\/objects\/batch$/, write: true, forRepo: true, handle: (c) => lfsBatch(c) },
  // The upload href handed out by the batch call; like a presigned storage URL it carries no Authorization.
  { methods: ['PUT'], pattern: /^\/lfs-upload\/([^/]+)\/([^/]+)\/([^/]+)$/, write: false, forRepo: true, handle: (c, [oid]) => lfsUpload(c, oid!) },
];

const repoOf = (hub: HubContext, owner: string, name: string): string => {
  const repo = `${decodeURIComponent(owner)}/${decodeURIComponent(name)}`;
  try {
    parseRepoId(repo);
  } catch {
    throw new HttpError(404, `Repository not found: ${repo}`, 'RepoNotFound');
  }
  if (!hub.store.exists(repo)) throw new HttpError(404, `Repository not found: ${repo}`, 'RepoNotFound');
  return repo;
};

const decode = (group: string | undefined): string | undefined => (group === undefined ? undefined : decodeURIComponent(group));

export interface RouteMatch {
  route: Route;
  run(base: Omit<RouteContext, 'repo'>): void | Promise<void>;
}

export const matchRoute = (method: string, pathname: string): RouteMatch | undefined => {
  for (const route of routes) {
    if (!route.methods.includes(method)) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const groups = match.slice(1);
    return {
      route,
      run: (base) => {
        if (!route.forRepo) return route.handle({ ...base, repo: '' }, groups.map(decode));
        const [owner, name, ...rest] = groups;
        return route.handle({ ...base, repo: repoOf(base.hub, owner!, name!) }, rest.map(decode));
      },
    };
  }
  return undefined;
};
