import { Logger } from '@nestjs/common';
import { ConfigError } from './config.js';

export interface Running {
  close(): Promise<void>;
}

/**
 * An app's main: starts it, stops it cleanly on SIGINT/SIGTERM (finishing the work in hand), and exits non-zero
 * with the reason when it cannot start (a bad variable is named, nothing more).
 */
export const runUntilSignalled = (name: string, start: (logger: Logger) => Promise<Running>): void => {
  const logger = new Logger(name);
  // Through a promise, so a start that throws before its first await is reported like any other.
  Promise.resolve().then(() => start(logger)).then(
    (running) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          logger.log(`${signal}: stopping after the work in hand`);
          running.close().then(
            () => process.exit(0),
            (error: unknown) => {
              logger.error(`could not stop cleanly: ${(error as Error).message}`);
              process.exit(1);
            },
          );
        });
      }
    },
    (error: unknown) => {
      logger.error(error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error)));
      process.exit(1);
    },
  );
};
