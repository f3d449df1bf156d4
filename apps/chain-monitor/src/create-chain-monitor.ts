import 'reflect-metadata';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { eventingNotReady, type ConsumerHealth, type JetStreamConnection } from '#eventing';
import { NATS_CONNECTION, CONSUMER_HEALTH } from '#eventing/nest';
import { appLogger, serveHealth } from '#platform';
import { ChainMonitor } from './chain-monitor.js';
import { ChainMonitorModule } from './chain-monitor.module.js';
import type { ChainMonitorConfig } from './config.js';

export interface RunningChainMonitor {
  readonly monitor: ChainMonitor;
  /** Where /health/ready answers, when HEALTH_PORT is set. */
  readonly healthPort?: number;
  /** Finishes the block in hand, then closes the chain and NATS connections. */
  close(): Promise<void>;
}

/**
 * Connects to NATS (verifying the topology) and to the Subtensor node, derives the cursor from the log,
 * and starts following finalized blocks. main.ts runs it from the environment; a one-process demo or a
 * test calls it with its own config (and logger).
 */
export const createChainMonitor = async (config: ChainMonitorConfig, options: { logger?: LoggerService } = {}): Promise<RunningChainMonitor> => {
  const app: INestApplicationContext = await NestFactory.createApplicationContext(ChainMonitorModule.forRoot(config), {
    logger: options.logger ?? appLogger(config.LOG_LEVEL),
    abortOnError: false,
  });
  const monitor = app.get(ChainMonitor);
  try {
    await monitor.start();
    const connection = app.get<JetStreamConnection>(NATS_CONNECTION);
    const consumers = app.get<ConsumerHealth>(CONSUMER_HEALTH);
    const health =
      config.HEALTH_PORT === undefined
        ? undefined
        : await serveHealth({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, notReady: async () => [...eventingNotReady(connection.nc, consumers), ...monitor.notReady()] });
    return {
      monitor,
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
