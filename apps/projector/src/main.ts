import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type Config } from '#platform';
import { LiveProjector, ReplayService } from '#read-models';
import { parseArgs, UsageError } from './cli-args.js';
import { ProjectorModule } from './projector.module.js';

const logger = new Logger('Projector');

const live = async (config: Config): Promise<void> => {
  const app = await NestFactory.createApplicationContext(ProjectorModule.register(config));
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  await app.get(LiveProjector).run(stop.signal);
  await app.close();
};

const replay = async (config: Config, options: Parameters<ReplayService['replay']>[0]): Promise<void> => {
  const app = await NestFactory.createApplicationContext(ProjectorModule.register(config));
  try {
    const report = await app.get(ReplayService).replay(options);
    const where = report.swapped ? `swapped into ${report.schema}` : `left in ${report.schema}`;
    console.log(`replayed ${report.events} events (+${report.poison} poison, ${report.rejected} rejected) to sequence ${report.lastSequence} in ${report.seconds.toFixed(1)} s (${report.eventsPerSecond}/s), ${where}`);
    for (const [table, hash] of Object.entries(report.hashes)) console.log(`${table.padEnd(20)} ${hash}`);
  } finally {
    await app.close();
  }
};

const main = async (): Promise<void> => {
  const command = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  if (command.mode === 'live') await live(config);
  else await replay(config, command.options);
};

main().catch((error: unknown) => {
  const expected = error instanceof UsageError || error instanceof ConfigError;
  logger.error(expected ? (error as Error).message : ((error as Error).stack ?? String(error)));
  process.exit(error instanceof UsageError ? 2 : 1);
});
