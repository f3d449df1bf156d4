import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveMetrics } from './metrics/registry.js';

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  host: string;
  port: number;
  /** Why the process is not ready (empty: ready). */
  notReady: () => Promise<string[]>;
}

const send = (response: import('node:http').ServerResponse, status: number, type: string, body: unknown): void => {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(JSON.stringify(body));
};

/**
 * Liveness, readiness and metrics for an app that serves no HTTP of its own (every app but the API), for probes,
 * Prometheus and operators: `/health/live` answers while the process runs; `/health/ready` is 200, or 503
 * problem+json naming what is not ready (a consumer loop recovering, NATS gone); `/metrics` is the Prometheus
 * exposition. A bare node:http server: these apps need three routes, not a web framework.
 */
export const serveHealth = async ({ host, port, notReady }: HealthServerOptions): Promise<HealthServer> => {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET') return send(response, 405, 'application/problem+json', { status: 405, title: 'Method Not Allowed' });
    if (path === '/health/live') return send(response, 200, 'application/json', { status: 'ok' });
    if (path === '/metrics') return serveMetrics(request, response);
    if (path !== '/health/ready' && path !== '/health') return send(response, 404, 'application/problem+json', { status: 404, title: 'Not Found' });
    notReady().then(
      (reasons) =>
        reasons.length === 0
          ? send(response, 200, 'application/json', { status: 'ok' })
          : send(response, 503, 'application/problem+json', { status: 503, title: 'Service Unavailable', detail: `not ready: ${reasons.join('; ')}`, reasons }),
      (error: unknown) =>
        send(response, 503, 'application/problem+json', {
          status: 503,
          title: 'Service Unavailable',
          detail: `readiness check failed: ${(error as Error).message}`,
        }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
