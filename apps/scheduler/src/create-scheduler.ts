import 'reflect-metadata';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { serveHealth } from '#platform';
import { appLogger } from '#platform/nest';
import { NestFactory } from '@nestjs/core';
import type { Topology } from '#contracts';
import { acquireRoleLease, eventingNotReady, type ConsumerHealth, type JetStreamConnection, type Lease } from '#eventing';
import { CONSUMER_HEALTH, JetStreamServer, NATS_CONNECTION, TOPOLOGY, type JetStreamServerOptions } from '#eventing/nest';
import { runSettings, type SchedulerConfig } from './config.js';
import { Scheduler, type CatchUp } from './scheduler.js';
import { SCHEDULER_DURABLE, schedulerKey, SchedulerModule, type SchedulerModuleOptions } from './scheduler.module.js';

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
  /** What start-up folded (from which snapshot, how many events). */
  readonly catchUp: CatchUp;
  /** Settles if the lease is lost while running: the scheduler has then stopped acting (closed), with the reason. */
  readonly leaseLost: Promise<string>;
  /** Where /health/ready answers, when HEALTH_PORT is set. */
  readonly healthPort?: number;
  /** Stops the consumer after the event in hand, then closes NATS. */
  close(): Promise<void>;
}

/**
 * Connects to NATS (verifying the topology), waits until it holds the scheduler's lease (a standby waits here,
 * consuming nothing), folds the log up to its end from the latest snapshot, then starts the durable consumer
 * `scheduler` and the deadline tick. main.ts runs it from the environment; a one-process demo or a test calls it
 * with its own config, Hub and logger. Losing the lease while running closes the app: it must not act beside the new holder.
 */
export const createScheduler = async (config: SchedulerConfig, options: CreateSchedulerOptions = {}): Promise<RunningScheduler> => {
  const logger = options.logger ?? appLogger(config.LOG_LEVEL);
  const app = await NestFactory.create(SchedulerModule.forRoot(config, options), { logger, abortOnError: false });
  let lease: Lease | undefined;
  let closed = false;
  let resolveLost!: (reason: string) => void;
  const leaseLost = new Promise<string>((resolve) => (resolveLost = resolve));
  try {
    const connection = app.get<JetStreamConnection>(NATS_CONNECTION);
    const t = app.get<Topology>(TOPOLOGY);
    lease = await acquireRoleLease({
      js: connection.js,
      features: connection.features,
      bucket: t.leaseBucket,
      replicas: config.KINITRO_STREAM_REPLICAS,
      key: schedulerKey(config.NETUID),
      ttlMs: runSettings(config).SCHEDULER_LEASE_TTL_MS,
      role: 'scheduler',
      logger,
      onLost: (reason) => {
        if (!closed) void app.close().finally(() => resolveLost(reason));
        closed = true;
      },
    });
    const scheduler = app.get(Scheduler);
    const catchUp = await scheduler.catchUp();
    const server = JetStreamServer.fromApp(app, { durable: SCHEDULER_DURABLE, ...DELIVERY, ...options.delivery });
    app.connectMicroservice({ strategy: server });
    await app.init();
    await app.startAllMicroservices();
    const consumers = app.get<ConsumerHealth>(CONSUMER_HEALTH);
    const health =
      config.HEALTH_PORT === undefined
        ? undefined
        : await serveHealth({
            host: config.HEALTH_HOST,
            port: config.HEALTH_PORT,
            notReady: async () => eventingNotReady(connection.nc, consumers, [SCHEDULER_DURABLE]),
          });
    return {
      app,
      scheduler,
      caughtUpTo: catchUp.end,
      catchUp,
      leaseLost,
      healthPort: health?.port,
      close: async () => {
        await health?.close();
        if (closed) return;
        closed = true;
        // Stop consuming first, then hand the lease over while NATS is still connected (app.close closes the
        // connection, after which a release cannot reach the key and the standby would wait out the TTL).
        await server.close();
        await lease?.release();
        await app.close();
      },
    };
  } catch (error) {
    await lease?.release();
    await app.close();
    throw error;
  }
};
