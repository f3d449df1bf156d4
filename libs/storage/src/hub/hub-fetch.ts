import { HubApiError } from '@huggingface/hub';
import { HubAuthError, HubError, HubNotFoundError, HubUnavailableError, type HubMissing } from './errors.js';

/**
 * The fetch the `@huggingface/hub` client is given. It is the one place that sees every response with its
 * headers, so it turns the Hub's answers into typed errors there: `X-Error-Code` says what is missing (the
 * client's own HubApiError drops the headers), 5xx/429/408 and network failures mean "retry later", and a
 * response that does not start within the timeout counts as the Hub being slow.
 */

const MISSING: Record<string, HubMissing> = {
  RepoNotFound: 'repo',
  GatedRepo: 'repo',
  DisabledRepo: 'repo',
  RevisionNotFound: 'revision',
  EntryNotFound: 'file',
};

const where = (input: Parameters<typeof fetch>[0]): string => {
  const href = input instanceof Request ? input.url : String(input);
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
};

/** The typed error a Hub response stands for, or undefined when the client should read it. */
export const errorForResponse = (response: Response, url: string): HubError | undefined => {
  const code = response.headers.get('X-Error-Code') ?? undefined;
  const message = `${response.headers.get('X-Error-Message') ?? `HTTP ${response.status}`} (${url})`;
  const missing = code ? MISSING[code] : undefined;
  if (missing) return new HubNotFoundError(missing, message, { code });
  if (response.status === 401 || response.status === 403) return new HubAuthError(`the Hub refused the credentials: ${message}`, response.status);
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    return new HubUnavailableError(`the Hub answered ${response.status}: ${message}`, { status: response.status });
  }
  return undefined;
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const isNetworkFailure = (error: unknown): boolean => {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
    if (e instanceof TypeError && (e.message === 'fetch failed' || e.message === 'terminated')) return true;
  }
  return false;
};

/**
 * Maps anything a client call threw to the typed errors: ours pass through, a transport failure (including one
 * while reading a body, which happens outside fetch) or a 5xx the client reported becomes HubUnavailableError.
 * Anything else is a bug or an answer we do not understand and is rethrown unchanged.
 */
export const asHubError = (error: unknown, doing: string): unknown => {
  if (error instanceof HubError) return error;
  if (error instanceof HubApiError && (error.statusCode >= 500 || error.statusCode === 429 || error.statusCode === 408)) {
    return new HubUnavailableError(`${doing}: ${error.message}`, { cause: error, status: error.statusCode });
  }
  if (isNetworkFailure(error)) return new HubUnavailableError(`${doing}: ${(error as Error).message}`, { cause: error });
  return error;
};

export const createHubFetch = (options: { timeoutMs: number; fetch?: typeof fetch }): typeof fetch => {
  const base = options.fetch ?? globalThis.fetch;
  return async (input, init) => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
    let response: Response;
    try {
      response = await base(input, { ...init, signal });
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      const why = timeout.signal.aborted ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
      throw new HubUnavailableError(`the Hub is unreachable (${where(input)}): ${why}`, { cause: error });
    } finally {
      // Only the wait for the response head is timed: a large body may legitimately take longer.
      clearTimeout(timer);
    }
    const problem = errorForResponse(response, where(input));
    if (problem) {
      await response.body?.cancel();
      throw problem;
    }
    return response;
  };
};
