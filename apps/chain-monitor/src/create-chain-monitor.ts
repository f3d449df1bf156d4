import 'reflect-metadata';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appLogger } from '#platform';
import { ChainMonitor } from './chain-monitor.js';
import { ChainMonitorModule } from './chain-monitor.module.js';
import type { ChainMonitorConfig } from './config.js';

export interface RunningChainMonitor {
  readonly monitor: ChainMonitor;
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
  } catch (error) {
    await app.close();
    throw error;
  }
  return { monitor, close: () => app.close() };
};
