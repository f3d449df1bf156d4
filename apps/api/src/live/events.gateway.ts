import { Inject } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { API_CONFIG, apiSettings, type ApiConfig } from '../api-config.js';
import { watchLiveness } from './heartbeat.js';
import { LiveFeedService } from './live-feed.service.js';

/**
 * `/ws`: plain JSON messages (docs/api.md, "WebSocket"; /api/asyncapi.json). The server says `welcome`; the client
 * sends `subscribe` (named, with types, filters, fromSequence, snapshot), `unsubscribe` and `ping`; the server
 * answers `subscribed`, `snapshot`, `event`, `unsubscribed`, `pong` and `error`.
 */
@WebSocketGateway({ path: '/ws' })
export class EventsGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly liveness: { intervalMs: number; idleMs: number };

  constructor(
    private readonly live: LiveFeedService,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    const settings = apiSettings(config);
    this.liveness = { intervalMs: settings.WS_PING_INTERVAL_MS, idleMs: settings.WS_IDLE_TIMEOUT_MS };
  }

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    watchLiveness(client, this.liveness);
    this.live.connect(client, request.socket.remoteAddress ?? 'unknown');
    client.on('message', (data: Buffer) => this.live.receive(client, data.toString()));
  }

  handleDisconnect(client: WebSocket): void {
    this.live.disconnect(client);
  }
}
