import { Logger, type INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';
import type { WebSocketServer } from 'ws';
import { apiSettings, type ApiConfig } from '../api-config.js';

/**
 * The `ws` adapter with the API's limits: frames above WS_MAX_PAYLOAD_BYTES close the socket (1009) before they
 * are buffered whole, and a browser (which sends Origin) may connect only from WS_ALLOWED_ORIGINS (403 otherwise).
 */
export class LiveWsAdapter extends WsAdapter {
  private readonly maxPayload: number;
  private readonly origins: ReadonlySet<string>;

  constructor(app: INestApplicationContext, config: ApiConfig) {
    super(app);
    const limits = apiSettings(config);
    this.maxPayload = limits.WS_MAX_PAYLOAD_BYTES;
    this.origins = new Set(limits.WS_ALLOWED_ORIGINS);
  }

  override create(port: number, options: Record<string, unknown> = {}): WebSocketServer {
    return super.create(port, {
      ...options,
      maxPayload: this.maxPayload,
      verifyClient: ({ origin }: { origin?: string; req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) =>
        this.allowed(origin) ? done(true) : done(false, 403, 'origin not allowed'),
    }) as WebSocketServer;
  }

  /** A client breaking the protocol (an oversize frame, bad framing: ws codes WS_ERR_*) is its problem, not an API error: one warning, no stack. */
  override bindErrorHandler(server: WebSocketServer) {
    const logger = new Logger('LiveFeed');
    server.on('connection', (socket) =>
      socket.on('error', (error: Error & { code?: string }) =>
        error.code?.startsWith('WS_ERR_') ? logger.warn(`client closed: ${error.message}`) : logger.error(error),
      ),
    );
    server.on('error', (error) => logger.error(error));
    return server;
  }

  private allowed(origin: string | undefined): boolean {
    return origin === undefined || this.origins.has('*') || this.origins.has(origin);
  }
}
