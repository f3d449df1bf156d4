import { describe, expect, it } from '@jest/globals';
import { HubApiError } from '@huggingface/hub';
import { HubAuthError, HubNotFoundError, HubUnavailableError } from './errors.js';
import { asHubError, createHubFetch, errorForResponse } from './hub-fetch.js';

const URL_ = 'http://hub.test/api/models/o/n/revision/abc';
const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('errorForResponse', () => {
  it.each([
    [404, 'RepoNotFound', 'repo'],
    [401, 'RepoNotFound', 'repo'],
    [404, 'RevisionNotFound', 'revision'],
    [404, 'EntryNotFound', 'file'],
    [403, 'GatedRepo', 'repo'],
  ])('reads %i with X-Error-Code %s as a not-found of the %s', (status, code, what) => {
    const error = errorForResponse(answer(status, { 'X-Error-Code': code, 'X-Error-Message': 'nope' }), URL_);
    expect(error).toBeInstanceOf(HubNotFoundError);
    expect(error).toMatchObject({ what, code, retryable: false, message: `nope (${URL_})` });
  });

  it.each([500, 502, 503, 504, 429, 408])('reads %i as the Hub being unavailable', (status) => {
    expect(errorForResponse(answer(status), URL_)).toMatchObject({ name: 'HubUnavailableError', status, retryable: true });
  });

  it.each([401, 403])('reads %i without an error code as refused credentials', (status) => {
    expect(errorForResponse(answer(status), URL_)).toBeInstanceOf(HubAuthError);
  });

  it.each([200, 206, 409, 412])('leaves %i to the client', (status) => {
    expect(errorForResponse(answer(status), URL_)).toBeUndefined();
  });
});

describe('asHubError', () => {
  it('turns a reset connection into HubUnavailableError', () => {
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(asHubError(reset, 'listing')).toBeInstanceOf(HubUnavailableError);
  });

  it('turns a body cut short into HubUnavailableError', () => {
    expect(asHubError(new TypeError('terminated'), 'downloading')).toBeInstanceOf(HubUnavailableError);
  });

  it('turns a 5xx the client reported into HubUnavailableError', () => {
    expect(asHubError(new HubApiError('http://hub.test/x', 502), 'committing')).toMatchObject({ name: 'HubUnavailableError', status: 502 });
  });

  it('passes other failures through unchanged', () => {
    const bug = new RangeError('bad offset');
    const conflict = new HubApiError('http://hub.test/x', 409);
    expect(asHubError(bug, 'x')).toBe(bug);
    expect(asHubError(conflict, 'x')).toBe(conflict);
  });
});

describe('createHubFetch', () => {
  it('reports a transport failure as HubUnavailableError naming the URL', async () => {
    const refused: typeof fetch = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
    const hubFetch = createHubFetch({ timeoutMs: 1000, fetch: refused });
    await expect(hubFetch(URL_)).rejects.toMatchObject({ name: 'HubUnavailableError', message: expect.stringContaining(URL_) });
  });

  it('gives up on a response that does not start within the timeout', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    await expect(createHubFetch({ timeoutMs: 20, fetch: hanging })(URL_)).rejects.toMatchObject({
      name: 'HubUnavailableError',
      message: expect.stringContaining('no answer within 20 ms'),
    });
  });

  it('lets the caller abort without calling it an outage', async () => {
    const caller = new AbortController();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const pending = createHubFetch({ timeoutMs: 10_000, fetch: hanging })(URL_, { signal: caller.signal });
    caller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('throws the typed error of an error answer and returns the others', async () => {
    const ok = new Response('{}', { status: 200 });
    const hubFetch = createHubFetch({
      timeoutMs: 1000,
      fetch: async (input) => (String(input).endsWith('missing') ? answer(404, { 'X-Error-Code': 'EntryNotFound' }) : ok),
    });
    await expect(hubFetch('http://hub.test/missing')).rejects.toMatchObject({ name: 'HubNotFoundError', what: 'file' });
    await expect(hubFetch('http://hub.test/present')).resolves.toBe(ok);
  });
});
