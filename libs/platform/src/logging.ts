import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { configSchema, type Config } from './config.js';
import { currentLogContext } from './log-context.js';

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

/** Nest's levels as pino names them. */
const PINO_LEVEL: Record<LogLevel, string> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

let appName: string | undefined;

/** The app every JSON line names (`app`); runUntilSignalled sets it, so each app of `kinitro up` names itself. */
export const setLogApp = (name: string): void => {
  appName = name;
};

const pinoTo = (destination: DestinationStream): Pino =>
  pino(
    {
      level: 'trace',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...(appName && { app: appName }), ...currentLogContext() }),
    },
    destination,
  );

/** One pino logger per process: a synchronous stdout, so the last lines before an exit are never lost. */
let root: Pino | undefined;
const rootLogger = (): Pino => (root ??= pinoTo(pino.destination({ dest: 1, sync: true })));

/** A Nest call's parameters: the message, then optional details, the context (a string) last. */
const split = (rest: unknown[]): { context?: string; details: unknown[] } => {
  if (rest.length > 0 && typeof rest.at(-1) === 'string') return { context: rest.at(-1) as string, details: rest.slice(0, -1) };
  return { details: rest };
};

/**
 * Nest's LoggerService over pino: one JSON object per line with `time`, `level`, `app`, `context`, `msg`, and, while
 * a message is handled, its event id, correlation and causation ids (log-context.ts). An Error passed anywhere is
 * logged under `err` with its stack.
 */
export class JsonLogger implements LoggerService {
  private levels: Set<LogLevel>;
  private readonly pino: () => Pino;

  /** Writes to stdout; a test passes its own destination. */
  constructor(levels: LogLevel[], destination?: DestinationStream) {
    this.levels = new Set(levels);
    const own = destination && pinoTo(destination);
    this.pino = own ? () => own : rootLogger;
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.levels.has(level) && level !== 'fatal') return;
    const { context, details } = split(rest);
    if (level === 'error' && context === 'ExceptionHandler') return;
    const fields: Record<string, unknown> = context ? { context } : {};
    const error = [message, ...details].find((d): d is Error => d instanceof Error);
    if (error) fields.err = error;
    const stack = details.find((d): d is string => typeof d === 'string' && /\n\s+at /.test(d));
    if (stack) fields.stack = stack;
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    (this.pino() as unknown as Record<string, (fields: object, msg: string) => void>)[PINO_LEVEL[level]]!(fields, text);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
}

/** LOG_FORMAT as the app's config validated it (a bad value stopped the app there); the default otherwise. */
const formatFromEnv = (env: Record<string, string | undefined>): Config['LOG_FORMAT'] => {
  const parsed = configSchema.shape.LOG_FORMAT.safeParse(env.LOG_FORMAT || undefined);
  return parsed.success ? parsed.data : configSchema.shape.LOG_FORMAT.parse(undefined);
};

/**
 * The logger every app gives Nest: JSON lines (pino) with LOG_FORMAT=json, what deployments set; Nest's coloured
 * text otherwise, for a developer's terminal.
 */
export const appLogger = (level: Config['LOG_LEVEL'], format: Config['LOG_FORMAT'] = formatFromEnv(process.env)): LoggerService =>
  format === 'json' ? new JsonLogger(nestLogLevels(level)) : new AppLogger({ logLevels: nestLogLevels(level) });
