export interface ValidationIssue {
  path: string;
  message: string;
}

/** An event (envelope or payload) that does not match its contract. Never retried: it can only fail again. */
export class EventValidationError extends Error {
  override readonly name: string = 'EventValidationError';
  constructor(
    readonly eventType: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`invalid ${eventType}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/**
 * The subject, the envelope and the payload do not name the same aggregate instance (`issues` say which and how):
 * projections would file the event under one aggregate and the audit trail under another. Poison on read, refused on append.
 */
export class AggregateMismatchError extends EventValidationError {
  override readonly name = 'AggregateMismatchError';
}

export class UnknownEventTypeError extends Error {
  override readonly name = 'UnknownEventTypeError';
  constructor(readonly eventType: string) {
    super(`unknown event type "${eventType}"`);
  }
}

/** A stored event whose schemaVersion is newer than this build knows: deploy the newer reader, do not drop it. */
export class UnsupportedSchemaVersionError extends Error {
  override readonly name = 'UnsupportedSchemaVersionError';
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly latest: number,
  ) {
    super(`${eventType} v${schemaVersion} is newer than this build (latest v${latest})`);
  }
}
