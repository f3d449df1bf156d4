import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { topology } from '#contracts';
import { connect, JetStreamEventReader, JetStreamEventStore, type JetStreamConnection } from '#eventing';
import { createDataSource } from '#read-models';
import type { DataSource } from 'typeorm';
import { API_CONFIG, API_PRODUCER, type ApiConfig } from '../api-config.js';
import { EVENT_READER, EVENT_STORE, JETSTREAM, READ_MODELS } from './tokens.js';

/** Closes the connections once every module has stopped using them (gateways close their readers earlier). */
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(JETSTREAM) private readonly jetstream: JetStreamConnection,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.jetstream.close(), this.readModels.destroy()]);
  }
}

/**
 * NATS (event store + reader) and the read-model database. The API appends to the events stream and reads the
 * projector's tables; it never writes a table and never runs migrations (the projector owns them).
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: JETSTREAM, useFactory: () => connect(config.NATS_URL, 'kinitro-api') },
        {
          provide: EVENT_STORE,
          inject: [JETSTREAM],
          useFactory: ({ js, jsm }: JetStreamConnection) =>
            new JetStreamEventStore(js, jsm, { topology: topology(config.KINITRO_NAMESPACE), producer: API_PRODUCER }),
        },
        {
          provide: EVENT_READER,
          inject: [JETSTREAM],
          useFactory: ({ js, jsm }: JetStreamConnection) => new JetStreamEventReader(js, jsm, topology(config.KINITRO_NAMESPACE)),
        },
        {
          provide: READ_MODELS,
          useFactory: () => createDataSource({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, poolSize: 10 }).initialize(),
        },
        ConnectionsCloser,
      ],
      exports: [API_CONFIG, JETSTREAM, EVENT_STORE, EVENT_READER, READ_MODELS],
    };
  }
}
