import 'reflect-metadata';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Topology } from '#contracts';
import { acquireRoleLease, eventingNotReady, type ConsumerHealth, type JetStreamConnection, type Lease } from '#eventing';
import { CONSUMER_HEALTH, NATS_CONNECTION, TOPOLOGY } from '#eventing/nest';
import { serveHealth } from '#platform';
import { appLogger } from '#platform/nest';
import { ChainMonitor } from './chain-monitor.js';
import { ChainMonitorModule } from './chain-monitor.module.js';
import { chainMonitorKey, DEFAULT_LEASE_TTL_MS, type ChainMonitorConfig } from './config.js';

export interface RunningChainMonitor {
  readonly monitor: ChainMonitor;
  /** Settles if the lease is lost while running: the monitor has then stopped following the chain, with the reason. */
  readonly leaseLost: Promise<string>;
  /** Where /health/ready answers, when HEALTH_PORT is set. */
  readonly healthPort?: number;
  /** Finishes the block in hand, hands the lease over, then closes the chain and NATS connections. */
  close(): Promise<void>;
}

/**
 * Connects to NATS (verifying the topology) and to the Subtensor node, waits until it holds the subnet's
 * chain-monitor lease (a standby waits here, appending nothing), derives the cursor from the log, and starts
 * following finalized blocks. Two monitors of one subnet would each append every fact; the lease keeps it to one.
 * main.ts runs it from the environment; a one-process demo or a test calls it with its own config (and logger).
 */
export const createChainMonitor = async (config: ChainMonitorConfig, options: { logger?: LoggerService } = {}): Promise<RunningChainMonitor> => {
  const logger = options.logger ?? appLogger(config.LOG_LEVEL);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(ChainMonitorModule.forRoot(config), { logger, abortOnError: false });
  const monitor = app.get(ChainMonitor);
  let lease: Lease | undefined;
  let closed = false;
  let resolveLost!: (reason: string) => void;
  const leaseLost = new Promise<string>((resolve) => (resolveLost = resolve));
  try {
    const connection = app.get<JetStreamConnection>(NATS_CONNECTION);
    lease = await acquireRoleLease({
      js: connection.js,
      features: connection.features,
      bucket: app.get<Topology>(TOPOLOGY).leaseBucket,
      replicas: config.KINITRO_STREAM_REPLICAS,
      key: chainMonitorKey(config.NETUID),
      ttlMs: config.CHAIN_MONITOR_LEASE_TTL_MS ?? DEFAULT_LEASE_TTL_MS,
      role: 'chain monitor',
      logger,
      onLost: (reason) => {
        if (!closed) void app.close().finally(() => resolveLost(reason));
        closed = true;
      },
    });
    await monitor.start();
    const consumers = app.get<ConsumerHealth>(CONSUMER_HEALTH);
    const health =
      config.HEALTH_PORT === undefined
        ? undefined
        : await serveHealth({
            host: config.HEALTH_HOST,
            port: config.HEALTH_PORT,
            notReady: async () => [...eventingNotReady(connection.nc, consumers), ...monitor.notReady()],
          });
    return {
      monitor,
      leaseLost,
      healthPort: health?.port,
      close: async () => {
        await health?.close();
        if (closed) return;
        closed = true;
        // Stop following first, then hand the lease over while NATS is still connected, so a standby need not wait out the TTL.
        await monitor.stop();
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
