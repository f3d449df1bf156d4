import { setTimeout as sleep } from 'node:timers/promises';

/** What one look at a dependency found: ready (with what it found), or not yet (and what it is waiting for). */
export type Readiness<T> = { ready: true; value: T } | { ready: false; waitingFor: string };

export interface AwaitReadyOptions<T> {
  /** Looks once; throws for what waiting cannot fix (the app then stops at once with that error). */
  check: () => Promise<Readiness<T>>;
  waitMs: number;
  /** The error to stop with once `waitMs` has passed, given the last "waiting for". */
  giveUp: (waitingFor: string) => Error;
  logger: { warn(message: string): void };
  pollMs?: number;
  logEveryMs?: number;
}

/**
 * Waits, bounded and logged, for something another app prepares (the projector's streams and migrations), so apps
 * started together need no start order and no restart loop, while a real misconfiguration still ends the start-up.
 */
export const awaitReady = async <T>({ check, waitMs, giveUp, logger, pollMs = 500, logEveryMs = 5_000 }: AwaitReadyOptions<T>): Promise<T> => {
  const until = Date.now() + waitMs;
  let nextLog = 0;
  for (;;) {
    const found = await check();
    if (found.ready) return found.value;
    if (Date.now() >= until) throw giveUp(found.waitingFor);
    if (Date.now() >= nextLog) {
      logger.warn(`waiting for ${found.waitingFor}; giving up in ${until - Date.now()} ms (PROJECTOR_WAIT_MS)`);
      nextLog = Date.now() + logEveryMs;
    }
    await sleep(Math.min(pollMs, Math.max(0, until - Date.now())));
  }
};
