import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { topology, type Signer, type Topology } from '#contracts';
import { systemClock, type Clock } from '../clock.js';
import { connectAnd, type JetStreamConnection } from '../connection.js';
import { ConsumerHealth } from '../consumer-health.js';
import { DeadLetters } from '../dead-letters.js';
import { JetStreamEventReader } from '../event-reader.js';
import { atomicBatchesOf, JetStreamEventStore } from '../event-store.js';
import { verifyTopology } from '../topology.js';
import {
  CLOCK,
  CONSUMER_HEALTH,
  DEAD_LETTERS,
  EVENT_READER,
  EVENT_STORE,
  EVENTING_OPTIONS,
  JETSTREAM_CLIENT,
  JETSTREAM_MANAGER,
  NATS_CONNECTION,
  SERVER_FEATURES,
  TOPOLOGY,
} from './tokens.js';

export interface EventingModuleOptions {
  natsUrl: string;
  /** `kinitro` in production; tests pass their own `testNamespace(...)`. */
  namespace: string;
  /** The producer recorded in every event this app appends, and the NATS connection name. */
  app: string;
  version: string;
  /** Stream replicas the app expects (KINITRO_STREAM_REPLICAS): it refuses to start on streams that differ. */
  replicas: number;
  /** How long start-up waits for the projector to create streams that do not exist yet (PROJECTOR_WAIT_MS); 0: none. */
  waitMs?: number;
  /** Signs the validator-side events the app appends (validator, evaluator: the validator's hotkey). */
  signer?: Signer;
}

/** Drains the connection once the app (and its JetStreamServer) has stopped. */
@Injectable()
class ConnectionLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: JetStreamConnection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

const providers = (options: EventingModuleOptions): Provider[] => [
  { provide: EVENTING_OPTIONS, useValue: options },
  { provide: TOPOLOGY, useValue: topology(options.namespace) },
  {
    provide: NATS_CONNECTION,
    inject: [TOPOLOGY],
    useFactory: (t: Topology): Promise<JetStreamConnection> =>
      connectAnd(options.natsUrl, options.app, (connection) =>
        verifyTopology(connection.jsm, t, { replicas: options.replicas, waitMs: options.waitMs, logger: new Logger(options.app) }),
      ),
  },
  { provide: JETSTREAM_CLIENT, inject: [NATS_CONNECTION], useFactory: (c: JetStreamConnection) => c.js },
  { provide: JETSTREAM_MANAGER, inject: [NATS_CONNECTION], useFactory: (c: JetStreamConnection) => c.jsm },
  { provide: SERVER_FEATURES, inject: [NATS_CONNECTION], useFactory: (c: JetStreamConnection) => c.features },
  { provide: CLOCK, useValue: systemClock },
  { provide: CONSUMER_HEALTH, useValue: new ConsumerHealth() },
  {
    provide: EVENT_STORE,
    inject: [NATS_CONNECTION, TOPOLOGY, CLOCK],
    useFactory: (c: JetStreamConnection, t: Topology, clock: Clock) =>
      new JetStreamEventStore(c.js, c.jsm, {
        topology: t,
        producer: { app: options.app, version: options.version },
        clock,
        signer: options.signer,
        ...atomicBatchesOf(c),
        logger: new Logger(`${options.app}:event-store`),
      }),
  },
  {
    provide: EVENT_READER,
    inject: [JETSTREAM_CLIENT, JETSTREAM_MANAGER, TOPOLOGY],
    useFactory: (js: JetStreamClient, jsm: JetStreamManager, t: Topology) => new JetStreamEventReader(js, jsm, t),
  },
  {
    provide: DEAD_LETTERS,
    inject: [JETSTREAM_CLIENT, JETSTREAM_MANAGER, TOPOLOGY],
    useFactory: (js: JetStreamClient, jsm: JetStreamManager, t: Topology) => new DeadLetters(js, jsm, t),
  },
  ConnectionLifecycle,
];

const exported = [
  EVENTING_OPTIONS,
  TOPOLOGY,
  NATS_CONNECTION,
  JETSTREAM_CLIENT,
  JETSTREAM_MANAGER,
  SERVER_FEATURES,
  CLOCK,
  CONSUMER_HEALTH,
  EVENT_STORE,
  EVENT_READER,
  DEAD_LETTERS,
];

/** Connects to NATS, verifies the topology (the projector applies it), and provides the event store, reader and dead letters to the whole app. */
@Module({})
export class EventingModule {
  static forRoot(options: EventingModuleOptions): DynamicModule {
    return { module: EventingModule, global: true, providers: providers(options), exports: exported };
  }
}
