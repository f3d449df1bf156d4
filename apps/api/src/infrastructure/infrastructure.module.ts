import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Topology } from '#contracts';
import type { JetStreamConnection } from '#eventing';
import { EventingModule, JETSTREAM_CLIENT, NATS_CONNECTION, TOPOLOGY } from '#eventing/nest';
import { reach } from '#platform';
import { createDataSource } from '#read-models';
import { createObjectStore, objectStoreConfigFromEnv } from '#storage';
import { KvHeartbeatReader } from '../lifecycle/heartbeats.js';
import { awaitSchema } from './await-schema.js';
import type { DataSource } from 'typeorm';
import { API_CONFIG, API_PRODUCER, type ApiConfig } from '../api-config.js';
import { repositoryProviders, repositoryTokens } from './repositories.js';
import { HEARTBEATS, OBJECT_STORE, READ_MODELS } from './tokens.js';

/** Closes the database pool once every module has stopped using it. */
class ReadModelsCloser implements OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.destroy();
  }
}

/**
 * NATS through EventingModule (event store, reader, connection) and the read-model database. The API appends
 * to the events stream and reads the projector's tables; it never writes a table and never runs migrations: it
 * waits (PROJECTOR_WAIT_MS) for the projector to have migrated them. The object store and the activity KV bucket
 * are read only: the evaluators create and write them, so the API neither creates the directory or bucket nor
 * fails to start without them (a read then answers 503, or "no heartbeat").
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      imports: [
        EventingModule.forRoot({
          natsUrl: config.NATS_URL,
          namespace: config.KINITRO_NAMESPACE,
          app: API_PRODUCER.app,
          version: API_PRODUCER.version,
          replicas: config.KINITRO_STREAM_REPLICAS,
          waitMs: config.PROJECTOR_WAIT_MS,
        }),
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: READ_MODELS,
          // The NATS connection is made first so that a start that gives up closes it: Nest shuts down nothing of an
          // application whose creation failed, and an open connection keeps the process alive.
          inject: [NATS_CONNECTION],
          useFactory: async (nats: JetStreamConnection) => {
            let db: DataSource | undefined;
            try {
              db = await reach('Postgres', 'DATABASE_URL', config.DATABASE_URL, () =>
                createDataSource({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, poolSize: 10 }).initialize(),
              );
              await awaitSchema(db, config.DATABASE_SCHEMA, config.PROJECTOR_WAIT_MS, new Logger('Api'));
              return db;
            } catch (error) {
              await db?.destroy();
              // Closed once this rejection is on its way: a provider still using the connection would otherwise
              // fail first ("connection draining") and hide why the start failed.
              setImmediate(() => void nats.close());
              throw error;
            }
          },
        },
        ReadModelsCloser,
        ...repositoryProviders,
        { provide: OBJECT_STORE, useFactory: () => createObjectStore(config.objectStore ?? objectStoreConfigFromEnv({})) },
        {
          provide: HEARTBEATS,
          inject: [JETSTREAM_CLIENT, TOPOLOGY],
          useFactory: (js: JetStreamClient, t: Topology) => new KvHeartbeatReader(js, t.activityBucket),
        },
      ],
      exports: [API_CONFIG, OBJECT_STORE, HEARTBEATS, ...repositoryTokens],
    };
  }
}
