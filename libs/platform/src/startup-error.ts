/**
 * A start-up failure an operator fixes by changing a variable or starting a service. The app's main logs its
 * message as one line, without a stack, and exits with `exitCode`.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A URL as it may be logged: without its password. */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
};

const reasonOf = (error: unknown): string => {
  const e = error as { code?: string; message?: string; errors?: { code?: string; message?: string }[] };
  // Node reports a refused dual-stack connect as an AggregateError with an empty message: its parts say why.
  const parts = e.errors?.length ? e.errors : [e];
  const reasons = [...new Set(parts.map((p) => p.code ?? p.message ?? ''))].filter(Boolean);
  return reasons.join(', ') || String(error);
};

/**
 * Connects to a service the app cannot start without. A failure names the service, where it was looked for and
 * the variable that says so, e.g. "cannot reach NATS at nats://127.0.0.1:1 (ECONNREFUSED): check NATS_URL".
 */
export const reach = async <T>(service: string, variable: string, url: string, connect: () => Promise<T>): Promise<T> => {
  try {
    return await connect();
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(`cannot reach ${service} at ${redactUrl(url)} (${reasonOf(error)}): check ${variable}`, 1, { cause: error });
  }
};
