/**
 * A command that the rules refuse. `code` is stable and machine-readable; the HTTP edge maps it to a status
 * once (not_found → 404, conflict → 409, invalid → 422).
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
