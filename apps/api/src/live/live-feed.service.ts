import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type EventReader } from '#eventing';
import { EVENT_READER } from '#eventing/nest';
import { API_CONFIG, API_PRODUCER, apiSettings, type ApiConfig } from '../api-config.js';
import { HistoryReads, TooManyHistoryReads } from '../events/history-reads.js';
import { LiveHub } from './live-hub.js';
import { LiveSnapshots } from './live-snapshots.js';
import { LiveSubscription, type LiveSink, type ServerMessage } from './live-subscription.js';
import { BadClientMessage, parseClientMessage, type SubscribeRequest } from './subscribe-request.js';

/** The part of a `ws` socket the feed uses. */
export interface LiveClient {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;
/** A client this far behind is disconnected (1013: try again later) and resumes from its last sequence. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** The /ws protocol's version, in the welcome: 2 added the welcome, named subscriptions, snapshots and ping. */
export const LIVE_PROTOCOL = 2;
export const LIVE_SERVER = 'kinitro-api';

interface Socket {
  address: string;
  /** Subscribe requests over the socket's life. */
  subscribes: number;
  subscriptions: Map<string, LiveSubscription>;
  /** Bumped by every subscribe/unsubscribe of a name: a snapshot that resolves after one is dropped. */
  generations: Map<string, number>;
}

/**
 * Every connected client's subscriptions, by the name the client gave each, all fed by one shared hub. A subscribe
 * with a name in use replaces that subscription; unsubscribe names one or ends them all.
 */
@Injectable()
export class LiveFeedService implements OnModuleDestroy {
  private readonly logger = new Logger('LiveFeed');
  private readonly sockets = new Map<LiveClient, Socket>();
  private readonly hub: LiveHub;
  private readonly settings: ReturnType<typeof apiSettings>;

  constructor(
    @Inject(EVENT_READER) private readonly reader: EventReader,
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly historyReads: HistoryReads,
    private readonly snapshots: LiveSnapshots,
  ) {
    this.hub = new LiveHub(reader);
    this.settings = apiSettings(config);
  }

  /** What a client hears first: who answers, the protocol, and the limits it must keep to. */
  welcome(): ServerMessage {
    const s = this.settings;
    return {
      op: 'welcome',
      server: LIVE_SERVER,
      version: API_PRODUCER.version,
      protocol: LIVE_PROTOCOL,
      limits: {
        maxPayloadBytes: s.WS_MAX_PAYLOAD_BYTES,
        maxSubscriptionsPerSocket: s.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
        maxActiveSubscriptions: s.WS_MAX_ACTIVE_SUBSCRIPTIONS,
        pingIntervalMs: s.WS_PING_INTERVAL_MS,
        idleTimeoutMs: s.WS_IDLE_TIMEOUT_MS,
      },
    };
  }

  connect(client: LiveClient, address: string): void {
    this.sockets.set(client, { address, subscribes: 0, subscriptions: new Map(), generations: new Map() });
    this.sinkFor(client).send(this.welcome());
  }

  receive(client: LiveClient, raw: string): void {
    const socket = this.sockets.get(client);
    if (!socket) return;
    let message;
    try {
      message = parseClientMessage(raw);
    } catch (error) {
      if (!(error instanceof BadClientMessage)) throw error;
      return this.sinkFor(client).send({ op: 'error', message: error.message });
    }
    if (message.op === 'ping')
      return this.sinkFor(client).send({ op: 'pong', ...(message.id === undefined ? {} : { id: message.id }), at: new Date().toISOString() });
    if (message.op === 'unsubscribe') {
      const names = message.subscription === undefined ? [...socket.subscriptions.keys()] : [message.subscription];
      for (const name of names) this.stop(socket, name);
      return this.sinkFor(client).send({ op: 'unsubscribed', subscription: message.subscription ?? null });
    }
    this.subscribe(client, socket, message).catch((error: unknown) => this.sinkFor(client).fail(`subscription failed: ${(error as Error).message}`));
  }

  disconnect(client: LiveClient): void {
    const socket = this.sockets.get(client);
    if (!socket) return;
    for (const name of [...socket.subscriptions.keys()]) this.stop(socket, name);
    this.sockets.delete(client);
  }

  onModuleDestroy(): void {
    for (const client of [...this.sockets.keys()]) this.disconnect(client);
    this.hub.stop();
  }

  private async subscribe(client: LiveClient, socket: Socket, request: SubscribeRequest): Promise<void> {
    const name = request.subscription;
    const sink = this.sinkFor(client);
    const generation = this.stop(socket, name);
    if (++socket.subscribes > this.settings.WS_MAX_SUBSCRIPTIONS_PER_SOCKET) {
      return this.fail(
        client,
        1008,
        `this socket made ${this.settings.WS_MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions (WS_MAX_SUBSCRIPTIONS_PER_SOCKET); open a new one`,
      );
    }
    if (socket.subscriptions.size >= this.settings.WS_MAX_ACTIVE_SUBSCRIPTIONS) {
      return sink.send({
        op: 'error',
        subscription: name,
        message: `this socket holds ${this.settings.WS_MAX_ACTIVE_SUBSCRIPTIONS} subscriptions (WS_MAX_ACTIVE_SUBSCRIPTIONS); unsubscribe one first`,
      });
    }
    let release: (() => void) | undefined;
    if (request.fromSequence !== undefined || request.snapshot) {
      try {
        release = this.historyReads.acquire(socket.address);
      } catch (error) {
        if (!(error instanceof TooManyHistoryReads)) throw error;
        return sink.send({ op: 'error', subscription: name, message: error.message });
      }
    }
    let fromSequence = request.fromSequence;
    if (request.snapshot) {
      let snapshot;
      try {
        snapshot = await this.snapshots.take(request);
      } catch (error) {
        release?.();
        throw error;
      }
      // Replaced, unsubscribed or disconnected while the snapshot was read: nobody wants it any more.
      if (socket.generations.get(name) !== generation || this.sockets.get(client) !== socket) return release?.();
      sink.send({ op: 'snapshot', subscription: name, ...snapshot });
      fromSequence ??= snapshot.projectedSequence + 1;
    }
    const subscription = new LiveSubscription(this.hub, this.reader, { ...request, fromSequence }, sink, release);
    socket.subscriptions.set(name, subscription);
    subscription.run().catch((error: unknown) => sink.fail(`subscription failed: ${(error as Error).message}`));
  }

  /** Stops the subscription of that name if any; returns the name's new generation. */
  private stop(socket: Socket, name: string): number {
    socket.subscriptions.get(name)?.stop();
    socket.subscriptions.delete(name);
    const generation = (socket.generations.get(name) ?? 0) + 1;
    socket.generations.set(name, generation);
    return generation;
  }

  private sinkFor(client: LiveClient): LiveSink {
    const send = (message: ServerMessage) => {
      if (client.readyState !== OPEN) return;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) return this.fail(client, 1013, 'client too slow; resume from your last sequence');
      client.send(JSON.stringify(message));
    };
    return { send, fail: (reason) => this.fail(client, 1011, reason) };
  }

  private fail(client: LiveClient, code: number, reason: string): void {
    this.logger.warn(reason);
    this.disconnect(client);
    if (client.readyState === OPEN) {
      client.send(JSON.stringify({ op: 'error', message: reason } satisfies ServerMessage));
      client.close(code, reason.slice(0, 120));
    }
  }
}
