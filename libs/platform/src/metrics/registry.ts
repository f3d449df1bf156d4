import { collectDefaultMetrics, register } from 'prom-client';

/**
 * The process's Prometheus registry (prom-client's global one, so every module's metrics land in it), with Node's
 * own metrics (event loop lag, heap, GC, CPU) under the `kinitro_` prefix. Each app of `kinitro up` runs in its own
 * worker thread, with its own registry.
 */
export const metricsRegistry = register;

let defaultsCollected = false;
const collectDefaults = (): void => {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'kinitro_' });
};

/** The exposition text of every metric, and its content type, for `/metrics`. */
export const metricsExposition = async (): Promise<{ contentType: string; body: string }> => {
  collectDefaults();
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
};

type Request = import('node:http').IncomingMessage;
type Response = import('node:http').ServerResponse;

/** `GET /metrics` as a plain node:http handler: the health server serves it, the API mounts it on its HTTP port. */
export const serveMetrics = (_request: Request, response: Response): void => {
  metricsExposition().then(
    ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
    (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot collect metrics: ${(error as Error).message}`),
  );
};
