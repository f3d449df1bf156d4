import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Topology } from '#contracts';
import type { JetStreamConnection } from '#eventing';
import { projectorMetrics, serveHealth, type Config, type HealthServer } from '#platform';
import { ReadModelStore } from '#read-models';
import { NATS, READ_MODELS, TOPOLOGY } from './projector.module.js';

/**
 * The live projector's lag and checkpoint for /metrics, sampled at scrape time from the stream's last sequence and
 * the checkpoint row, and, when HEALTH_PORT is set, its health server: ready while NATS is connected and the
 * checkpoint can be read.
 */
export const observeProjector = async (app: INestApplicationContext, config: Config): Promise<{ port?: number; close(): Promise<void> }> => {
  const nats = app.get<JetStreamConnection>(NATS);
  const t = app.get<Topology>(TOPOLOGY);
  const store = new ReadModelStore(app.get<DataSource>(READ_MODELS), config.DATABASE_SCHEMA);
  const dataSource = app.get<DataSource>(READ_MODELS);
  const labels = { schema: config.DATABASE_SCHEMA };
  const read = async () => {
    const [checkpoint, info] = await Promise.all([store.checkpoint(dataSource), nats.jsm.streams.info(t.eventsStream)]);
    return { checkpoint, last: info.state.last_seq };
  };
  // One read shared by the gauges of a scrape (they are collected together), so its lag and checkpoint agree.
  let reading: ReturnType<typeof read> | undefined;
  const positions = () => (reading ??= read().finally(() => (reading = undefined)));
  const removals = [
    projectorMetrics.lag.add(config.DATABASE_SCHEMA, async () => {
      const { checkpoint, last } = await positions();
      return [{ labels, value: Math.max(0, last - checkpoint) }];
    }),
    projectorMetrics.checkpoint.add(config.DATABASE_SCHEMA, async () => [{ labels, value: (await positions()).checkpoint }]),
  ];
  const health: HealthServer | undefined =
    config.HEALTH_PORT === undefined
      ? undefined
      : await serveHealth({
          host: config.HEALTH_HOST,
          port: config.HEALTH_PORT,
          notReady: async () => {
            if (nats.nc.isClosed()) return ['NATS connection closed'];
            return positions().then(
              () => [],
              (error: unknown) => [`cannot read the checkpoint or the stream: ${(error as Error).message}`],
            );
          },
        });
  return {
    port: health?.port,
    close: async () => {
      removals.forEach((remove) => remove());
      await health?.close();
    },
  };
};
