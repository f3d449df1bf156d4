import 'reflect-metadata';
import { Logger, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { eventingNotReady, type ConsumerHealth, type JetStreamConnection, type RunningConsumer } from '#eventing';
import { CONSUMER_HEALTH, NATS_CONNECTION, TOPOLOGY } from '#eventing/nest';
import { evaluatorDurable, type Topology } from '#contracts';
import { loadHotkeyAtStartup, serveHealth } from '#platform';
import { appLogger } from '#platform/nest';
import { AgentSessions } from './agent-sessions.js';
import type { EvaluatorConfig } from './config.js';
import { Environments } from './environments.js';
import { EpisodeEvaluator } from './episode-evaluator.js';
import { EvaluatorModule, type EvaluatorModuleOptions } from './evaluator.module.js';
import { consumeWork, type WorkDelivery } from './work-consumer.js';

export interface CreateEvaluatorOptions extends EvaluatorModuleOptions {
  logger?: LoggerService;
  /** Tests shorten the backoff. ackWaitMs defaults to EVALUATOR_ACK_WAIT_MS. */
  delivery?: Partial<WorkDelivery>;
}

export interface RunningEvaluator {
  readonly app: INestApplicationContext;
  /** This process's evaluator id (EVALUATOR_ID), as EpisodeStarted and the heartbeats name it. */
  readonly evaluatorId: string;
  /** The validator it works for (its hotkey signs the episodes) and its durable on the work stream, `evaluator-<ss58>`. */
  readonly validator: string;
  readonly durable: string;
  /** Where /health/ready answers, when HEALTH_PORT is set. */
  readonly healthPort?: number;
  /**
   * Stops pulling, kills the agents (an episode in hand is handed back to the queue, not recorded), waits for the
   * handler to let go of its item, then closes NATS.
   */
  close(): Promise<void>;
}

/**
 * Connects to NATS (verifying the topology), creates the sandbox (logging what it enforces), starts the object
 * store and the activity bucket, then the durable consumer `evaluator-<ss58>` of its validator on the work stream. main.ts runs it from the
 * environment; a test calls it with its own config, Hub, object store and logger.
 */
export const createEvaluator = async (config: EvaluatorConfig, options: CreateEvaluatorOptions = {}): Promise<RunningEvaluator> => {
  const hotkey = options.hotkey ?? (await loadHotkeyAtStartup(config.hotkey, 'EVALUATOR'));
  const durable = evaluatorDurable(hotkey.address);
  const app = await NestFactory.createApplicationContext(EvaluatorModule.forRoot(config, { ...options, hotkey }), {
    logger: options.logger ?? appLogger(config.LOG_LEVEL),
    abortOnError: false,
  });
  const logger = options.logger ?? new Logger('Evaluator');
  try {
    await app.init();
    const evaluator = app.get(EpisodeEvaluator);
    const sessions = app.get(AgentSessions);
    const envs = app.get(Environments);
    const connection = app.get<JetStreamConnection>(NATS_CONNECTION);
    const health = app.get<ConsumerHealth>(CONSUMER_HEALTH);
    const delivery: WorkDelivery = {
      ackWaitMs: config.EVALUATOR_ACK_WAIT_MS,
      backoffMs: [1_000, 5_000, 15_000, 30_000],
      maxDeliver: config.EVALUATOR_MAX_ATTEMPTS + 5,
      ...options.delivery,
    };
    const consumer: RunningConsumer = await consumeWork(connection, app.get<Topology>(TOPOLOGY), hotkey.address, evaluator, delivery, health, logger);
    const server =
      config.HEALTH_PORT === undefined
        ? undefined
        : await serveHealth({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, notReady: async () => eventingNotReady(connection.nc, health, [durable]) });
    return {
      app,
      evaluatorId: config.EVALUATOR_ID,
      validator: hotkey.address,
      durable,
      healthPort: server?.port,
      close: async () => {
        // stop() stops pulling at once; killing the agents makes the item in hand end quickly, handed back.
        const stopped = consumer.stop();
        evaluator.stop();
        await sessions.killAll('the evaluator is shutting down');
        await stopped;
        await server?.close();
        await envs.close();
        await app.close();
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  }
};
