import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidObjectKeyError, ObjectNotFoundError, ObjectStoreError } from '#storage';

/** How uploads retry: `attempts` tries in all, waiting baseDelayMs · 4^(n−1) after the n-th failure. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
}

/** 4 tries, waiting 0.25 s, 1 s and 4 s between them: rides out a restarting gateway, gives up in ~5 s. */
export const DEFAULT_UPLOAD_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250 };

/** Worth another try: the store's own failures (unreachable, refused, timed out), not a refused key or a bug. */
export const isTransientStoreError = (error: unknown): boolean =>
  error instanceof ObjectStoreError && !(error instanceof InvalidObjectKeyError) && !(error instanceof ObjectNotFoundError);

/** Runs `write` until it succeeds, a non-transient error, or the policy's last attempt (whose error it throws). */
export const withRetry = async <T>(write: () => Promise<T>, policy: RetryPolicy = DEFAULT_UPLOAD_RETRY): Promise<T> => {
  if (!Number.isSafeInteger(policy.attempts) || policy.attempts < 1) throw new RangeError(`retry attempts must be an integer >= 1, got ${policy.attempts}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransientStoreError(error)) throw error;
      await sleep(policy.baseDelayMs * 4 ** (attempt - 1));
    }
  }
};
