import 'reflect-metadata';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { appLogger, serveHealth } from '#platform';
import { NestFactory } from '@nestjs/core';
import { CONSUMER_HEALTH, eventingNotReady, JetStreamServer, NATS_CONNECTION, type ConsumerHealth, type JetStreamConnection, type JetStreamServerOptions } from '#eventing';
import type { SchedulerConfig } from './config.js';
import { Scheduler } from './scheduler.js';
import { SCHEDULER_DURABLE, SchedulerModule, type SchedulerModuleOptions } from './scheduler.module.js';

export { SCHEDULER_DURABLE };



/**
 * Delivery of the scheduler's consumer. A Hub outage may last hours and must not dead-letter a commitment
 * (the submission would stay pending for good): many deliveries, backoff growing to a minute.
 */
const DELIVERY: Required<Pick<JetStreamServerOptions, 'maxDeliver' | 'backoffMs' | 'ackWaitMs'>> = {
  maxDeliver: 1_000,
  backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000],
  ackWaitMs: 90_000,
};

export interface CreateSchedulerOptions extends SchedulerModuleOptions {
  logger?: LoggerService;
  /** Tests shorten the backoff. */
  delivery?: Partial<typeof DELIVERY>;
}

export interface RunningScheduler {
  readonly app: INestApplication;
  readonly scheduler: Scheduler;
  /** The last stream sequence folded before the consumer started. */
  readonly caughtUpTo: number;
  /** Where /health/ready answers, when HEALTH_PORT is set. */
  readonly healthPort?: number;
  /** Stops the consumer after the event in hand, then closes NATS. */
  close(): Promise<void>;
}

/**
 * Connects to NATS (verifying the topology), folds the log up to its end, then starts the durable consumer
 * `scheduler` and the deadline tick. main.ts runs it from the environment; a one-process demo or a test calls it
 * with its own config, Hub and logger.
 */
export const createScheduler = async (config: SchedulerConfig, options: CreateSchedulerOptions = {}): Promise<RunningScheduler> => {
  const app = await NestFactory.create(SchedulerModule.forRoot(config, options), { logger: options.logger ?? appLogger(config.LOG_LEVEL), abortOnError: false });
  try {
    const scheduler = app.get(Scheduler);
    const caughtUpTo = await scheduler.catchUp();
    app.connectMicroservice({ strategy: JetStreamServer.fromApp(app, { durable: SCHEDULER_DURABLE, ...DELIVERY, ...options.delivery }) });
    await app.init();
    await app.startAllMicroservices();
    const connection = app.get<JetStreamConnection>(NATS_CONNECTION);
    const consumers = app.get<ConsumerHealth>(CONSUMER_HEALTH);
    const health =
      config.HEALTH_PORT === undefined
        ? undefined
        : await serveHealth({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, notReady: async () => eventingNotReady(connection.nc, consumers, [SCHEDULER_DURABLE]) });
    return {
      app,
      scheduler,
      caughtUpTo,
      healthPort: health?.port,
      close: async () => {
        await health?.close();
        await app.close();
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  }
};
