/**
 * What can go wrong talking to the Hub, as the callers need to tell it apart: a final "not there" (the
 * scheduler rejects the submission), "try again later" (the scheduler retries with backoff), a limit the repo
 * breaks, content that does not match its checksum, and credentials the Hub refuses.
 */
export abstract class HubError extends Error {
  /** Whether the same call may succeed later. */
  abstract readonly retryable: boolean;
}

export type HubMissing = 'repo' | 'revision' | 'file';

export class HubNotFoundError extends HubError {
  override readonly name = 'HubNotFoundError';
  readonly retryable = false;
  /** The Hub's `X-Error-Code` when it gave one. */
  readonly code: string | undefined;
  constructor(
    readonly what: HubMissing,
    message: string,
    options: { code?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = options.code;
  }
}

/** The Hub is down, slow, rate limiting or unreachable: retry with backoff. */
export class HubUnavailableError extends HubError {
  override readonly name = 'HubUnavailableError';
  readonly retryable = true;
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

export class HubLimitError extends HubError {
  override readonly name = 'HubLimitError';
  readonly retryable = false;
  constructor(
    message: string,
    readonly limitBytes: number,
    readonly actualBytes: number,
  ) {
    super(message);
  }
}

/** Downloaded bytes differ from the size or checksum the Hub lists for the file. */
export class HubIntegrityError extends HubError {
  override readonly name = 'HubIntegrityError';
  readonly retryable = true;
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${path}: expected ${expected}, got ${actual}`);
  }
}

/** The Hub refuses our credentials (missing, wrong or without write access): an operator or miner must act. */
export class HubAuthError extends HubError {
  override readonly name = 'HubAuthError';
  readonly retryable = false;
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}
