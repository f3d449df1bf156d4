import 'reflect-metadata';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KeyringPair } from '@polkadot/keyring/types';
import { eventingNotReady, type ConsumerHealth, type JetStreamConnection } from '#eventing';
import { CONSUMER_HEALTH, JetStreamServer, NATS_CONNECTION, type JetStreamServerOptions } from '#eventing/nest';
import { loadHotkeyAtStartup, serveHealth } from '#platform';
import { appLogger } from '#platform/nest';
import type { ValidatorConfig } from './config.js';
import { Validator } from './validator.js';
import { validatorDurable } from '#contracts';
import { ValidatorModule } from './validator.module.js';
import { startWeightSetting, type RunningWeightSetting } from './weights/start-weight-setting.js';

export { validatorDurable };

/** Delivery of the validator's consumer: NATS or the work stream being away for a while must not dead-letter an episode's result. */
const DELIVERY: Required<Pick<JetStreamServerOptions, 'maxDeliver' | 'backoffMs' | 'ackWaitMs'>> = {
  maxDeliver: 1_000,
  backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000],
  ackWaitMs: 60_000,
};

export interface CreateValidatorOptions {
  logger?: LoggerService;
  /** The hotkey, already loaded; otherwise loaded from `config.hotkey`. */
  hotkey?: KeyringPair;
  /** Tests shorten the backoff. */
  delivery?: Partial<typeof DELIVERY>;
}

export interface RunningValidator {
  readonly app: INestApplication;
  readonly validator: Validator;
  /** The hotkey it appends under and signs with. */
  readonly hotkey: KeyringPair;
  /** Its durable consumer on the events stream: `validator-<ss58>`. */
  readonly durable: string;
  /** The last stream sequence folded before the consumer started. */
  readonly caughtUpTo: number;
  /** Where /health/ready answers, when HEALTH_PORT is set. */
  readonly healthPort?: number;
  /** Scores and weights set on chain, when the config names a subnet (NETUID). */
  readonly weights?: RunningWeightSetting;
  /** Stops the consumer after the event in hand, then closes NATS. */
  close(): Promise<void>;
}

/**
 * Loads the hotkey, connects to NATS (waiting for the projector's streams), folds the log up to its end and puts
 * the work stream right, then starts the durable consumer `validator-<ss58>`. main.ts runs it from the environment;
 * a test or a one-process deployment calls it with its own config and logger.
 */
export const createValidator = async (config: ValidatorConfig, options: CreateValidatorOptions = {}): Promise<RunningValidator> => {
  const hotkey = options.hotkey ?? (await loadHotkeyAtStartup(config.hotkey, 'VALIDATOR'));
  const durable = validatorDurable(hotkey.address);
  const app = await NestFactory.create(ValidatorModule.forRoot(config, hotkey), { logger: options.logger ?? appLogger(config.LOG_LEVEL), abortOnError: false });
  let weights: RunningWeightSetting | undefined;
  try {
    const validator = app.get(Validator);
    const caughtUpTo = await validator.catchUp();
    app.connectMicroservice({ strategy: JetStreamServer.fromApp(app, { durable, ...DELIVERY, ...options.delivery }) });
    await app.init();
    await app.startAllMicroservices();
    weights = config.weights && (await startWeightSetting(config.weights, hotkey, app));
    const connection = app.get<JetStreamConnection>(NATS_CONNECTION);
    const consumers = app.get<ConsumerHealth>(CONSUMER_HEALTH);
    const health =
      config.HEALTH_PORT === undefined
        ? undefined
        : await serveHealth({
            host: config.HEALTH_HOST,
            port: config.HEALTH_PORT,
            notReady: async () => eventingNotReady(connection.nc, consumers, [durable]),
          });
    return {
      app,
      validator,
      hotkey,
      durable,
      caughtUpTo,
      healthPort: health?.port,
      weights,
      close: async () => {
        await weights?.close();
        await health?.close();
        await app.close();
      },
    };
  } catch (error) {
    await weights?.close();
    await app.close();
    throw error;
  }
};
