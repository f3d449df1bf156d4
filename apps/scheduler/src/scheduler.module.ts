import { producerOf } from '#platform';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { Topology } from '#contracts';
import { KvSnapshotStore, openBucket, type Clock, type DeadLetters, type EventReader, type EventStore, type JetStreamConnection } from '#eventing';
import { CLOCK, DEAD_LETTERS, EVENT_READER, EVENT_STORE, EventingModule, NATS_CONNECTION, TOPOLOGY } from '#eventing/nest';
import { HfHubAdapter, type HubPort } from '#storage';
import { runSettings, type SchedulerConfig } from './config.js';
import { DeadlineTicker } from './deadline-ticker.js';
import { HubInspector } from './hub-inspector.js';
import { SchedulerSnapshots } from './scheduler-snapshots.js';
import { SchedulerHandlers } from './scheduler.handlers.js';
import { Scheduler } from './scheduler.js';
import { unfoldedIntoDeadLetters } from './unfolded-events.js';

/** The scheduler's durable consumer; its dead letters are where an operator finds what it could not handle. */
export const SCHEDULER_DURABLE = 'scheduler';

export const SCHEDULER_PRODUCER = producerOf('scheduler');

/** The scheduler's key in the lease and snapshot buckets: one scheduler per subnet and namespace. */
export const schedulerKey = (netuid: number): string => `scheduler.${netuid}`;

export interface SchedulerModuleOptions {
  /** The Hub to validate against; an HfHubAdapter from the config when omitted (tests pass the LocalHub's). */
  hub?: HubPort;
}

/** Wiring only: the decisions live in the pure process manager (#domain scheduler), the edge in Scheduler. */
@Module({})
export class SchedulerModule {
  static forRoot(config: SchedulerConfig, options: SchedulerModuleOptions = {}): DynamicModule {
    const logger = new Logger('Scheduler');
    return {
      module: SchedulerModule,
      imports: [
        EventingModule.forRoot({
          natsUrl: config.NATS_URL,
          namespace: config.KINITRO_NAMESPACE,
          app: SCHEDULER_PRODUCER.app,
          version: SCHEDULER_PRODUCER.version,
          replicas: config.KINITRO_STREAM_REPLICAS,
          waitMs: config.PROJECTOR_WAIT_MS,
        }),
      ],
      controllers: [SchedulerHandlers],
      providers: [
        {
          provide: HubInspector,
          useFactory: () => new HubInspector(options.hub ?? new HfHubAdapter({ ...config.hub, requestTimeoutMs: config.SCHEDULER_HUB_TIMEOUT_MS })),
        },
        {
          provide: SchedulerSnapshots,
          inject: [NATS_CONNECTION, TOPOLOGY, CLOCK],
          useFactory: async (nats: JetStreamConnection, t: Topology, clock: Clock) =>
            new SchedulerSnapshots(
              new KvSnapshotStore(await openBucket(nats.js, t.snapshotBucket, { replicas: config.KINITRO_STREAM_REPLICAS })),
              schedulerKey(config.NETUID),
              { everyEvents: runSettings(config).SCHEDULER_SNAPSHOT_EVERY_EVENTS, everyMs: runSettings(config).SCHEDULER_SNAPSHOT_EVERY_MS },
              clock,
              logger,
            ),
        },
        {
          provide: Scheduler,
          inject: [EVENT_STORE, EVENT_READER, HubInspector, CLOCK, DEAD_LETTERS, TOPOLOGY, SchedulerSnapshots],
          useFactory: (
            store: EventStore,
            reader: EventReader,
            hub: HubInspector,
            clock: Clock,
            deadLetters: DeadLetters,
            t: Topology,
            snapshots: SchedulerSnapshots,
          ) => new Scheduler(config.NETUID, store, reader, hub, clock, logger, unfoldedIntoDeadLetters(deadLetters, t, SCHEDULER_DURABLE), snapshots),
        },
        { provide: DeadlineTicker, inject: [Scheduler], useFactory: (scheduler: Scheduler) => new DeadlineTicker(scheduler, config.SCHEDULER_TICK_MS, logger) },
      ],
      exports: [Scheduler],
    };
  }
}
