import 'reflect-metadata';
import type { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ChainMonitor } from './chain-monitor.js';
import { ChainMonitorModule } from './chain-monitor.module.js';
import type { ChainMonitorConfig } from './config.js';

/** Nest logs at the configured level and every level more severe. */
const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
const logLevels = (level: ChainMonitorConfig['LOG_LEVEL']): LogLevel[] => LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);

export interface RunningChainMonitor {
  readonly monitor: ChainMonitor;
  /** Finishes the block in hand, then closes the chain and NATS connections. */
  close(): Promise<void>;
}

/**
 * Connects to NATS (applying the topology) and to the Subtensor node, derives the cursor from the log,
 * and starts following finalized blocks. main.ts runs it from the environment; a one-process demo or a
 * test calls it with its own config (and logger).
 */
export const createChainMonitor = async (config: ChainMonitorConfig, options: { logger?: LoggerService } = {}): Promise<RunningChainMonitor> => {
  const app: INestApplicationContext = await NestFactory.createApplicationContext(ChainMonitorModule.forRoot(config), {
    logger: options.logger ?? logLevels(config.LOG_LEVEL),
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
