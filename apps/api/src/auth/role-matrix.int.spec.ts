import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';

// The role × route matrix of docs/api.md, against the real API: what each kind of caller gets, written out by hand
// (not read from the code that enforces it). The guard runs before a route's handler, so a route a caller may use
// answers what the handler says (404 for the unknown ids used here, 400 for an empty body), and one it may not
// answers 401 (no key) or 403 (a known key of another role), as problem+json.

// Two issued keys cost a scrypt derivation each (slow on a loaded machine).
jest.setTimeout(60_000);

type Caller = 'anonymous' | 'viewer' | 'validator' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'viewer', 'validator', 'admin'];

const id = randomUUID();
/** method, path, body; then the status for anonymous, viewer, validator, admin. */
const MATRIX: [string, string, unknown, number, number, number, number][] = [
  // Public reads: the log and what is derived from it.
  ['GET', '/api/v1/competitions', undefined, 200, 200, 200, 200],
  ['GET', '/api/v1/job-status', undefined, 200, 200, 200, 200],
  ['GET', `/api/v1/jobs/${id}/status`, undefined, 404, 404, 404, 404],
  ['GET', '/api/v1/events?limit=1', undefined, 200, 200, 200, 200],
  // Any key: who one is, the logs (the evaluators' logs, URLs minted on read), the projections' status.
  ['GET', '/api/v1/auth/me', undefined, 401, 200, 200, 200],
  ['GET', `/api/v1/results/${id}/logs`, undefined, 401, 404, 404, 404],
  ['GET', `/api/v1/jobs/${id}/logs`, undefined, 401, 404, 404, 404],
  ['GET', `/api/v1/submissions/${id}/logs`, undefined, 401, 404, 404, 404],
  ['GET', '/api/v1/admin/projections', undefined, 401, 200, 200, 200],
  // Admin only: keys, competitions, reruns and cancellations.
  ['GET', '/api/v1/admin/keys', undefined, 401, 403, 403, 200],
  ['POST', '/api/v1/admin/keys', {}, 401, 403, 403, 400],
  ['POST', `/api/v1/admin/keys/${id}/revoke`, undefined, 401, 403, 403, 404],
  ['POST', '/api/v1/admin/competitions', {}, 401, 403, 403, 400],
  ['POST', '/api/v1/admin/competitions/none/activate', undefined, 401, 403, 403, 404],
  ['POST', `/api/v1/admin/submissions/${id}/rerun`, {}, 401, 403, 403, 404],
  ['POST', `/api/v1/admin/jobs/${id}/cancel`, {}, 401, 403, 403, 404],
];

let bed: ApiTestBed;
const keys = {} as Record<Caller, string | undefined>;

beforeAll(async () => {
  bed = await startApiTestBed('api role matrix');
  keys.admin = bed.adminKey;
  for (const role of ['viewer', 'validator'] as const) {
    const issued = await request(bed.baseUrl, 'POST', '/api/v1/admin/keys', { body: { name: `matrix-${role}`, role }, headers: { 'x-api-key': bed.adminKey } });
    expect(issued.status).toBe(201);
    keys[role] = issued.body.key;
  }
});
afterAll(async () => {
  await bed?.dispose();
});

describe('what each role opens', () => {
  it.each(MATRIX)('%s %s', async (method, path, body, ...expected) => {
    const got = [];
    for (const caller of CALLERS) {
      const key = keys[caller];
      const response = await request(bed.baseUrl, method, path, {
        ...(body !== undefined && { body }),
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
      got.push(response.status);
      if (response.status === 401 || response.status === 403) {
        expect(response.contentType).toContain('application/problem+json');
        expect(response.body).toMatchObject({ status: response.status, detail: expect.any(String) });
      }
    }
    expect(got).toEqual(expected);
  });

  it('names the roles a refused key would need', async () => {
    const logs = await request(bed.baseUrl, 'GET', '/api/v1/admin/keys', { headers: { 'x-api-key': keys.viewer! } });
    expect(logs.body.detail).toBe('a viewer key may not do this; it needs one of: admin');
  });

  it('documents every keyed route with its security, its 401, and a 403 where some role is refused', async () => {
    const doc = (await request(bed.baseUrl, 'GET', '/api/docs-json')).body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    for (const [method, path, , anonymous, ...keyed] of MATRIX) {
      if (anonymous !== 401) continue;
      const template = path.replace(id, '{id}').replace('/results/{id}/', '/results/{evaluationId}/').replace('/none/', '/{id}/');
      const operation = doc.paths[template]?.[method.toLowerCase()];
      expect([template, operation?.security?.length ?? 0]).toEqual([template, 2]);
      const answers = Object.keys(operation!.responses);
      expect([template, answers.includes('401'), answers.includes('403')]).toEqual([template, true, keyed.includes(403)]);
    }
  });
});
