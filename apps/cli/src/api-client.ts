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

/** GETs `path` from the API at `base` and parses its JSON; anything but a 2xx JSON answer is an ApiError. */
export const getJson = async <T>(base: string, path: string): Promise<T> => {
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    throw new ApiError(`the API URL "${base}" is not a URL`);
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message;
    throw new ApiError(`cannot reach the API at ${base}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  const body = (await response.json().catch(() => undefined)) as (T & { detail?: string }) | undefined;
  if (!response.ok || body === undefined) {
    throw new ApiError(`GET ${path} answered ${response.status}${body?.detail ? `: ${body.detail}` : ''}`, response.status);
  }
  return body;
};
