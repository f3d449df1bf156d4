/**
 * What can go wrong with the object store, as callers must tell it apart: "this object is not there" is a
 * final answer about a key; anything else (unreachable server, refused credentials, a missing bucket, a full
 * disk) is an ObjectStoreError wrapping its cause, so an outage never reads as a missing object.
 */
export class ObjectStoreError extends Error {
  override readonly name: string = 'ObjectStoreError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

export class ObjectNotFoundError extends ObjectStoreError {
  override readonly name = 'ObjectNotFoundError';
  constructor(
    readonly key: string,
    options: { cause?: unknown } = {},
  ) {
    super(`object not found: ${key}`, options);
  }
}

/** A key the store refuses before any I/O (empty, absolute, `..`, control characters, too long). */
export class InvalidObjectKeyError extends ObjectStoreError {
  override readonly name = 'InvalidObjectKeyError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
  }
}
