import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { EventingModule } from '#eventing';
import { createDataSource } from '#read-models';
import type { DataSource } from 'typeorm';
import { API_CONFIG, API_PRODUCER, type ApiConfig } from '../api-config.js';
import { READ_MODELS } from './tokens.js';

/** Closes the database pool once every module has stopped using it. */
class ReadModelsCloser implements OnApplicationShutdown {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.destroy();
  }
}

/**
 * NATS through EventingModule (event store, reader, connection) and the read-model database. The API appends
 * to the events stream and reads the projector's tables; it never writes a table and never runs migrations.
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      imports: [
        EventingModule.forRoot({ natsUrl: config.NATS_URL, namespace: config.KINITRO_NAMESPACE, app: API_PRODUCER.app, version: API_PRODUCER.version, replicas: config.KINITRO_STREAM_REPLICAS }),
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: READ_MODELS,
          useFactory: () => createDataSource({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, poolSize: 10 }).initialize(),
        },
        ReadModelsCloser,
      ],
      exports: [API_CONFIG, READ_MODELS],
    };
  }
}
