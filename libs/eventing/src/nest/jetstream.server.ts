import { Logger, type INestApplicationContext } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { EVENT_TYPE_HEADER, type RecordedEvent, type Topology } from '#contracts';
import type { ConsumerHealth } from '../consumer-health.js';
import type { JetStreamConnection } from '../connection.js';
import { decodeEventMessage, runConsumer, type Decode, type RunningConsumer } from '../consumer-runner.js';
import { JetStreamContext } from './jetstream.context.js';
import { CONSUMER_HEALTH, NATS_CONNECTION, TOPOLOGY } from './tokens.js';

export interface JetStreamServerOptions {
  connection: JetStreamConnection;
  topology: Topology;
  /** Where the consumer loop reports its state; the app's (EventingModule) with fromApp. */
  health?: ConsumerHealth;
  /** The app's durable consumer name, e.g. "scheduler". One per app. */
  durable: string;
  maxDeliver?: number;
  backoffMs?: number[];
  ackWaitMs?: number;
  /** First delay before a loop that ended (or lost its durable) is recreated. */
  recoverAfterMs?: number;
}

/** Rejections from Nest's exception filters arrive as `{ status, message }` objects; the runner wants an Error. */
const asError = (reason: unknown): Error =>
  reason instanceof Error ? reason : new Error(typeof reason === 'object' && reason && 'message' in reason ? String(reason.message) : String(reason));

/**
 * Nest transport for the events stream: `@EventPattern('JobCreated')` methods receive the typed RecordedEvent,
 * `@Ctx()` a JetStreamContext. One durable consumer per app on `<ns>.evt.>` (2.9 allows one filter subject),
 * dispatched by the `Kinitro-Event-Type` header; types without a handler are acked unread. Failures follow
 * runConsumer's rules: nak with backoff, dead letter after max_deliver, never ack; a deleted durable is recreated.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger = new Logger(JetStreamServer.name);
  private consumer?: RunningConsumer;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
  }

  /** Uses the connection and topology of the app's EventingModule: `app.connectMicroservice({ strategy: JetStreamServer.fromApp(app, { durable }) })`. */
  static fromApp(app: INestApplicationContext, options: Omit<JetStreamServerOptions, 'connection' | 'topology' | 'health'>): JetStreamServer {
    return new JetStreamServer({ ...options, connection: app.get(NATS_CONNECTION), topology: app.get(TOPOLOGY), health: app.get(CONSUMER_HEALTH) });
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.start().then(
      () => callback(),
      (err) => callback(err),
    );
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  on(): never {
    throw new Error('JetStreamServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }

  /** Skips (null) what no handler wants, without paying for its validation; decodes the rest. */
  private readonly decode: Decode<RecordedEvent | null> = (msg) => {
    const type = msg.headers?.get(EVENT_TYPE_HEADER);
    if (type && !this.getHandlerByPattern(type)) return null;
    return decodeEventMessage(msg);
  };

  private async start(): Promise<void> {
    const { connection, topology, durable, maxDeliver = 5, backoffMs = [1_000, 5_000, 30_000], ackWaitMs = 30_000 } = this.options;
    this.consumer = await runConsumer({
      js: connection.js,
      jsm: connection.jsm,
      features: connection.features,
      topology,
      durable,
      filterSubject: topology.allEventsSubject,
      maxDeliver,
      backoffMs,
      ackWaitMs,
      logger: this.logger,
      health: this.options.health,
      recoverAfterMs: this.options.recoverAfterMs,
      decode: this.decode,
      handler: (event, ctx) => (event ? this.dispatch(event, new JetStreamContext([ctx])) : Promise.resolve()),
    });
  }

  private async dispatch(event: RecordedEvent, ctx: JetStreamContext): Promise<void> {
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) return;
    try {
      const result: unknown = await handler(event, ctx);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    } catch (reason) {
      throw asError(reason);
    }
  }
}
