import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_READER, type EventReader } from '#eventing';
import { API_CONFIG, apiSettings, type ApiConfig } from '../api-config.js';
import { HistoryReads, TooManyHistoryReads } from '../events/history-reads.js';
import { LiveHub } from './live-hub.js';
import { LiveSubscription, type LiveSink, type ServerMessage } from './live-subscription.js';
import { BadClientMessage, parseClientMessage } from './subscribe-request.js';

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

/** One subscription per connected client, all fed by one shared hub; closed when the client leaves or re-subscribes. */
@Injectable()
export class LiveFeedService implements OnModuleDestroy {
  private readonly logger = new Logger('LiveFeed');
  private readonly subscriptions = new Map<LiveClient, LiveSubscription>();
  /** Per socket: the address history reads are counted against, and the subscribe requests it made. */
  private readonly sockets = new WeakMap<LiveClient, { address: string; subscribes: number }>();
  private readonly hub: LiveHub;
  private readonly maxSubscribes: number;

  constructor(
    @Inject(EVENT_READER) private readonly reader: EventReader,
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly historyReads: HistoryReads,
  ) {
    this.hub = new LiveHub(reader);
    this.maxSubscribes = apiSettings(config).WS_MAX_SUBSCRIPTIONS_PER_SOCKET;
  }

  connect(client: LiveClient, address: string): void {
    this.sockets.set(client, { address, subscribes: 0 });
  }

  receive(client: LiveClient, raw: string): void {
    let message;
    try {
      message = parseClientMessage(raw);
    } catch (error) {
      if (!(error instanceof BadClientMessage)) throw error;
      return this.sinkFor(client).send({ op: 'error', message: error.message });
    }
    this.disconnect(client);
    if (message.op === 'unsubscribe') return this.sinkFor(client).send({ op: 'unsubscribed' });
    const socket = this.sockets.get(client) ?? { address: 'unknown', subscribes: 0 };
    this.sockets.set(client, socket);
    if (++socket.subscribes > this.maxSubscribes) {
      return this.fail(client, 1008, `this socket made ${this.maxSubscribes} subscriptions (WS_MAX_SUBSCRIPTIONS_PER_SOCKET); open a new one`);
    }
    let release: (() => void) | undefined;
    if (message.fromSequence !== undefined) {
      try {
        release = this.historyReads.acquire(socket.address);
      } catch (error) {
        if (!(error instanceof TooManyHistoryReads)) throw error;
        return this.sinkFor(client).send({ op: 'error', message: error.message });
      }
    }
    const subscription = new LiveSubscription(this.hub, this.reader, message, this.sinkFor(client), release);
    this.subscriptions.set(client, subscription);
    subscription.run().catch((error: unknown) => this.sinkFor(client).fail(`subscription failed: ${(error as Error).message}`));
  }

  disconnect(client: LiveClient): void {
    this.subscriptions.get(client)?.stop();
    this.subscriptions.delete(client);
  }

  onModuleDestroy(): void {
    for (const client of [...this.subscriptions.keys()]) this.disconnect(client);
    this.hub.stop();
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
