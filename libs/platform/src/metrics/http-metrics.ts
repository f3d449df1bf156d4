import { Histogram } from 'prom-client';
import { metricsRegistry } from './registry.js';

const duration = new Histogram({
  name: 'kinitro_http_request_seconds',
  help: 'HTTP request latency by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [metricsRegistry],
});

type Request = import('node:http').IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };
type Response = import('node:http').ServerResponse;

/**
 * Express middleware timing every request. The label is the route's pattern (`/api/v1/jobs/:jobId`), known once
 * the router matched; a request no route matched is `unmatched`, so scanners cannot mint a series per URL.
 */
export const recordHttpMetrics = (request: Request, response: Response, next: () => void): void => {
  const end = duration.startTimer();
  response.once('finish', () => {
    const pattern = typeof request.route?.path === 'string' ? `${request.baseUrl ?? ''}${request.route.path}` : 'unmatched';
    end({ method: request.method ?? 'GET', route: pattern, status: String(response.statusCode) });
  });
  next();
};
