/** What the projector and replay report through; Nest's Logger fits, and so does a silent stub in benchmarks. */
export interface ProgressLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: ProgressLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
