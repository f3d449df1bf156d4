import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { Config } from './config.js';

const SEVERITY: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Nest logs at the configured level and every level more severe. */
export const nestLogLevels = (level: Config['LOG_LEVEL']): LogLevel[] => SEVERITY.slice(0, SEVERITY.indexOf(level) + 1);

/**
 * Nest's console logger without its ExceptionHandler reports: Nest logs an error that stops its start-up (with the
 * stack) before rethrowing it, and runUntilSignalled reports that error itself, in one line when the operator can
 * fix it. Nothing is lost: an unexpected error still reaches the log with its stack, once.
 */
class AppLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

/** The logger every app gives Nest. */
export const appLogger = (level: Config['LOG_LEVEL']): ConsoleLogger => new AppLogger({ logLevels: nestLogLevels(level) });
