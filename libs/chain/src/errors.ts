/**
 * Why a chain operation failed. `dispatch_failed` carries the runtime's own module error
 * (e.g. `SubtensorModule.HotKeyNotRegisteredInSubNet`); `transaction_rejected` is the node's
 * transaction pool refusing the extrinsic (bad signature, stale nonce); `state_unavailable` is a
 * query at a block whose state the node no longer keeps.
 */
export type ChainErrorKind = 'dispatch_failed' | 'transaction_rejected' | 'rate_limited' | 'state_unavailable' | 'invalid_request' | 'connection';

export interface ModuleErrorName {
  pallet: string;
  name: string;
  docs: string;
}

export class ChainError extends Error {
  override readonly name = 'ChainError';
  constructor(
    readonly kind: ChainErrorKind,
    message: string,
    readonly details: {
      /** The pallet error, for `dispatch_failed` with a module error. */
      module?: ModuleErrorName;
      /** The first block at which the call may succeed, for `rate_limited`. */
      nextAllowedBlock?: number;
      blockHash?: string;
      extrinsicHash?: string;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** `Pallet.Error` when the runtime failed the call with a module error. */
  get moduleError(): string | undefined {
    return this.details.module ? `${this.details.module.pallet}.${this.details.module.name}` : undefined;
  }
}

const STATE_GONE = /State already discarded|UnknownBlock|unknown block|header not found/i;

/** Classifies an error thrown by `@polkadot/api` while reading state at a block. */
export const stateReadError = (what: string, blockHash: string, cause: unknown): ChainError => {
  const message = cause instanceof Error ? cause.message : String(cause);
  return STATE_GONE.test(message)
    ? new ChainError('state_unavailable', `${what}: the node no longer has the state of block ${blockHash} (${message})`, { blockHash }, { cause })
    : new ChainError('connection', `${what} at ${blockHash} failed: ${message}`, { blockHash }, { cause });
};
