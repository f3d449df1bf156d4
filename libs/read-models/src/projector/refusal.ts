/**
 * SQLSTATE classes that say "this data can never be written", whatever the state of the server: 22 data
 * exception (out of range, invalid text or JSON, value too long), 23 integrity constraint violation, 54 program
 * limit exceeded (a value too large for an index). Retrying them changes nothing, so the projector rejects the
 * event instead. Every other class (connection, resources, deadlock, operator, internal) and any error without a
 * SQLSTATE may pass: the batch is retried, no event is skipped.
 */
const REFUSAL_CLASSES = new Set(['22', '23', '54']);

/** pg's error, possibly wrapped by TypeORM's QueryFailedError. */
const sqlState = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** The reason to record when Postgres refuses an event's rows, or undefined if the error is not a refusal. */
export const refusalReason = (error: unknown): string | undefined => {
  const code = sqlState(error);
  if (!code || !REFUSAL_CLASSES.has(code.slice(0, 2))) return undefined;
  return `postgres refused it (${code}): ${(error as Error).message}`;
};
