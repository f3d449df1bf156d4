import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { keySigner, type SigningKey, type Topology } from '#contracts';
import { type EventReader, type EventStore } from '#eventing';
import { EVENT_READER, EVENT_STORE, EventingModule, JETSTREAM_CLIENT, JETSTREAM_MANAGER, TOPOLOGY } from '#eventing/nest';
import { producerOf } from '#platform';
import type { ValidatorConfig } from './config.js';
import { ValidatorHandlers } from './validator.handlers.js';
import { Validator } from './validator.js';
import { JetStreamWorkQueue } from './work-queue.js';

export const VALIDATOR_PRODUCER = producerOf('validator');

/** Wiring only: the decisions live in the pure process manager (#domain validator), the edge in Validator. */
@Module({})
export class ValidatorModule {
  /** `hotkey` signs every event the validator appends (docs/signing.md). */
  static forRoot(config: ValidatorConfig, hotkey: SigningKey): DynamicModule {
    const { address } = hotkey;
    const logger = new Logger(`Validator ${address}`);
    return {
      module: ValidatorModule,
      imports: [
        EventingModule.forRoot({
          natsUrl: config.NATS_URL,
          namespace: config.KINITRO_NAMESPACE,
          app: VALIDATOR_PRODUCER.app,
          version: VALIDATOR_PRODUCER.version,
          replicas: config.KINITRO_STREAM_REPLICAS,
          waitMs: config.PROJECTOR_WAIT_MS,
          signer: keySigner(hotkey),
        }),
      ],
      controllers: [ValidatorHandlers],
      providers: [
        {
          provide: Validator,
          inject: [EVENT_STORE, EVENT_READER, JETSTREAM_CLIENT, JETSTREAM_MANAGER, TOPOLOGY],
          useFactory: (store: EventStore, reader: EventReader, js: JetStreamClient, jsm: JetStreamManager, t: Topology) =>
            new Validator(address, config.VALIDATOR_MAX_EVALUATIONS, store, reader, new JetStreamWorkQueue(js, jsm, t, address), logger),
        },
      ],
      exports: [Validator],
    };
  }
}
