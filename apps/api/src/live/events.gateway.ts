import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { LiveFeedService } from './live-feed.service.js';

/**
 * `/ws`: plain JSON messages. The client sends `{"op":"subscribe","types":[...],"filters":{...},"fromSequence":N}`;
 * the server answers `subscribed`, then `{"op":"event","streamSequence":..,"event":{...}}` for each match.
 */
@WebSocketGateway({ path: '/ws' })
export class EventsGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(private readonly live: LiveFeedService) {}

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    this.live.connect(client, request.socket.remoteAddress ?? 'unknown');
    client.on('message', (data) => this.live.receive(client, data.toString()));
  }

  handleDisconnect(client: WebSocket): void {
    this.live.disconnect(client);
  }
}
