import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, type Config } from '#platform';
import { appLogger, runUntilSignalled, type Running } from '#platform/nest';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { LiveProjector, rebuildStaleProjections, ReplayService } from '#read-models';
import { parseArgs } from './cli-args.js';
import { observeProjector } from './projector-observability.js';
import { ProjectorModule, READ_MODELS } from './projector.module.js';

const context = (config: Config) =>
  NestFactory.createApplicationContext(ProjectorModule.register(config), { logger: appLogger(config.LOG_LEVEL), abortOnError: false });

/** Follows the log until stopped; `done` settles if the loop ends on its own (it fails: the process exits 1). */
const live = async (config: Config): Promise<Running> => {
  const app = await context(config);
  const observed = await observeProjector(app, config);
  const stop = new AbortController();
  // A projection whose version changed is rebuilt beside the live loop; a failed rebuild stops the projector.
  const rebuild = rebuildStaleProjections(app.get<DataSource>(READ_MODELS), config.DATABASE_SCHEMA, app.get(ReplayService), new Logger('Projections'));
  const done = Promise.all([app.get(LiveProjector).run(stop.signal), rebuild])
    .then(() => undefined)
    .finally(() => observed.close().finally(() => app.close()));
  return {
    done,
    close: async () => {
      stop.abort();
      await done;
    },
  };
};

const replay = async (config: Config, options: Parameters<ReplayService['replay']>[0]): Promise<Running> => {
  const app = await context(config);
  const done = (async () => {
    try {
      const report = await app.get(ReplayService).replay(options);
      const where = report.swapped ? `swapped into ${report.schema}` : report.schema ? `left in ${report.schema}` : 'its schema dropped';
      console.log(
        `replayed ${report.events} events (+${report.poison} poison, ${report.rejected} rejected) to sequence ${report.lastSequence} in ${report.seconds.toFixed(1)} s (${report.eventsPerSecond}/s), ${where}`,
      );
      console.log(`projections: ${report.projections.join(', ')}`);
      for (const [table, hash] of Object.entries(report.hashes)) console.log(`${table.padEnd(20)} ${hash}`);
    } finally {
      await app.close();
    }
  })();
  return { done, close: () => done.then(() => undefined) };
};

runUntilSignalled('Projector', async () => {
  const command = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  return command.mode === 'live' ? live(config) : replay(config, command.options);
});
