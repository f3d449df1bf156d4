import { Logger } from '@nestjs/common';
import { ConfigError, configSchema } from './config.js';
import { appLogger, setLogApp } from './logging.js';
import { StartupError } from './startup-error.js';

export interface Running {
  /** Stops after the work in hand. */
  close(): Promise<void>;
  /** For an app that can finish on its own (a command, a loop that ends): the process exits when it settles. */
  readonly done?: Promise<unknown>;
}

/** Writes pending output, then exits: a bare process.exit can cut a piped log line short. A stuck pipe waits 1 s at most. */
const exit = (code: number): void => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1_000).unref();
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
};

/** What an operator reads when the app cannot start: one line for what they can fix, the stack for the rest. */
const describe = (error: unknown): string =>
  error instanceof ConfigError || error instanceof StartupError ? error.message : ((error as Error)?.stack ?? String(error));

/** SHUTDOWN_TIMEOUT_MS as the app's own config reads it; a bad value is reported there, this falls back to the default. */
const shutdownTimeoutMs = (env: Record<string, string | undefined>): number => {
  const parsed = configSchema.shape.SHUTDOWN_TIMEOUT_MS.safeParse(env.SHUTDOWN_TIMEOUT_MS || undefined);
  return parsed.success ? parsed.data : configSchema.shape.SHUTDOWN_TIMEOUT_MS.parse(undefined);
};

/**
 * Every app's main: starts it, and exits non-zero with the reason when it cannot start (a bad variable or an
 * unreachable service in one line, exit code 1 or the StartupError's; anything unexpected with its stack).
 * SIGINT/SIGTERM stop it after the work in hand; a second signal, or SHUTDOWN_TIMEOUT_MS passing, forces the exit.
 * An app that finishes on its own (`done`) exits 0 when it succeeds, 1 when it fails.
 */
export const runUntilSignalled = (name: string, start: (logger: Logger) => Promise<Running>, env: Record<string, string | undefined> = process.env): void => {
  setLogApp(name);
  // Until the app's own Nest logger takes over, lines before it (a refused configuration) are in the same format.
  const level = configSchema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL || undefined);
  Logger.overrideLogger(appLogger(level.success ? level.data : 'log'));
  const logger = new Logger(name);
  let stopping = false;
  const onSignal = (running: Running | undefined) => (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting for the work in hand`);
      return exit(1);
    }
    stopping = true;
    if (!running) return exit(1);
    const deadline = shutdownTimeoutMs(env);
    logger.log(`${signal}: stopping after the work in hand (at most ${deadline} ms, SHUTDOWN_TIMEOUT_MS)`);
    setTimeout(() => {
      logger.error(`did not stop within ${deadline} ms (SHUTDOWN_TIMEOUT_MS): exiting`);
      exit(1);
    }, deadline).unref();
    running.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error(`could not stop cleanly: ${(error as Error).message}`);
        exit(1);
      },
    );
  };
  // A signal during start-up stops the process at once: there is no work in hand yet.
  const early = onSignal(undefined);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, early);

  // Through a promise, so a start that throws before its first await is reported like any other.
  Promise.resolve()
    .then(() => start(logger))
    .then(
      (running) => {
        const handler = onSignal(running);
        for (const signal of ['SIGINT', 'SIGTERM'] as const) {
          process.off(signal, early);
          process.on(signal, handler);
        }
        running.done?.then(
          () => stopping || exit(0),
          (error: unknown) => {
            logger.error(describe(error));
            exit(error instanceof StartupError ? error.exitCode : 1);
          },
        );
      },
      (error: unknown) => {
        logger.error(describe(error));
        exit(error instanceof StartupError ? error.exitCode : 1);
      },
    );
};
