import { Failure } from './command.js';

/** The Kinitro API answered with an error (problem+json, `status` set) or could not be reached. */
export class ApiError extends Failure {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Calls `method path` on the API at `base` (with an API key and a JSON body when given) and parses its JSON;
 * anything but a 2xx JSON answer is an ApiError carrying the problem's detail.
 */
export const callApi = async <T>(base: string, method: string, path: string, { key, body }: { key?: string; body?: unknown } = {}): Promise<T> => {
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    throw new ApiError(`the API URL "${base}" is not a URL`);
  }
  const headers: Record<string, string> = {
    ...(key ? { authorization: `Bearer ${key}` } : {}),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message;
    throw new ApiError(`cannot reach the API at ${base}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  const answer = (await response.json().catch(() => undefined)) as (T & { detail?: string }) | undefined;
  if (!response.ok || answer === undefined) {
    throw new ApiError(`${method} ${path} answered ${response.status}${answer?.detail ? `: ${answer.detail}` : ''}`, response.status);
  }
  return answer;
};

/** GETs `path` from the API at `base` and parses its JSON. */
export const getJson = <T>(base: string, path: string): Promise<T> => callApi<T>(base, 'GET', path);
