import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { topology, type Topology } from '#contracts';
import { applyTopology, connectAnd, DeadLetters, JetStreamEventReader, OffloadedEventReader, type JetStreamConnection } from '#eventing';
import { reach, type Config } from '#platform';
import { BatchApplier, LiveProjector, openReadModels, ReplayService } from '#read-models';

export const CONFIG = Symbol('CONFIG');
export const NATS = Symbol('NATS');
export const TOPOLOGY = Symbol('TOPOLOGY');
export const READ_MODELS = Symbol('READ_MODELS');

/** Wiring only: the projection, the live loop and the replay live in #read-models. */
@Module({
  providers: [
    { provide: TOPOLOGY, inject: [CONFIG], useFactory: (config: Config): Topology => topology(config.KINITRO_NAMESPACE) },
    {
      // The projector owns the topology (the others verify it): the one app every deployment runs exactly once,
      // and first, since nothing is visible before it projects; it owns the read-model migrations for the same reason.
      provide: NATS,
      inject: [CONFIG, TOPOLOGY],
      useFactory: (config: Config, t: Topology) =>
        connectAnd(config.NATS_URL, 'projector', (nats) => applyTopology(nats.jsm, t, { replicas: config.KINITRO_STREAM_REPLICAS, features: nats.features })),
    },
    {
      provide: READ_MODELS,
      inject: [CONFIG],
      useFactory: (config: Config) =>
        reach('Postgres', 'DATABASE_URL', config.DATABASE_URL, () => openReadModels({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA })),
    },
    {
      provide: JetStreamEventReader,
      inject: [NATS, TOPOLOGY],
      useFactory: (nats: JetStreamConnection, t: Topology) => new JetStreamEventReader(nats.js, nats.jsm, t),
    },
    {
      provide: DeadLetters,
      inject: [NATS, TOPOLOGY],
      useFactory: (nats: JetStreamConnection, t: Topology) => new DeadLetters(nats.js, nats.jsm, t),
    },
    {
      provide: LiveProjector,
      inject: [CONFIG, READ_MODELS, JetStreamEventReader, DeadLetters],
      useFactory: (config: Config, dataSource: DataSource, reader: JetStreamEventReader, deadLetters: DeadLetters) =>
        new LiveProjector(new BatchApplier(dataSource, config.DATABASE_SCHEMA), reader, deadLetters, new Logger('Projector'), {
          batchSize: config.PROJECTOR_BATCH_SIZE,
        }),
    },
    {
      provide: ReplayService,
      inject: [CONFIG, TOPOLOGY, JetStreamEventReader],
      useFactory: (config: Config, t: Topology, reader: JetStreamEventReader) =>
        new ReplayService({
          databaseUrl: config.DATABASE_URL,
          liveSchema: config.DATABASE_SCHEMA,
          // A replay reads and decodes the log in a worker thread while this one folds and writes.
          reader: new OffloadedEventReader(reader, { natsUrl: config.NATS_URL, stream: t.eventsStream }),
          logger: new Logger('Replay'),
        }),
    },
  ],
})
export class ProjectorModule implements OnApplicationShutdown {
  /** The configuration is loaded (and refused) before Nest starts, so a bad variable stops the app with its name. */
  static register(config: Config): DynamicModule {
    return { module: ProjectorModule, providers: [{ provide: CONFIG, useValue: config }] };
  }

  constructor(
    @Inject(NATS) private readonly nats: JetStreamConnection,
    @Inject(READ_MODELS) private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.nats.close();
    await this.dataSource.destroy();
  }
}
