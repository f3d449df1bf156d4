/** Whole seconds until a rate-limiter record lets the client in again (at least 1: "0" reads as "now"). */
export const secondsUntil = ({ msBeforeNext }: { msBeforeNext: number }): number => Math.max(1, Math.ceil(msBeforeNext / 1000));

/** A client over one of the API's limits: 429 with Retry-After. */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';

  constructor(
    message: string,
    /** Whole seconds until the client may try again. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
