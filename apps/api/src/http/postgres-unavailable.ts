/**
 * Whether a read failed because Postgres cannot be reached (refused, reset, shutting down or starting up) rather
 * than because of the query: pg and TypeORM hand these up unwrapped, so the API would otherwise answer a 500.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

export const isPostgresUnavailable = (error: unknown): boolean => {
  const { code, driverError, message } = (error ?? {}) as { code?: unknown; driverError?: unknown; message?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect/.test(message)) return true;
  return driverError !== undefined && isPostgresUnavailable(driverError);
};
