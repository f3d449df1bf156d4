import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody } from '../testing/fixtures.js';

/**
 * Two apps: one with tight limits to reach them, behind a trusted proxy so each test speaks as its own client
 * (X-Forwarded-For); one with CORS for a dashboard origin and the default limits.
 */
let limited: ApiTestBed;
let open: ApiTestBed;
const DASHBOARD = 'https://dashboard.example.org';

beforeAll(async () => {
  [limited, open] = await Promise.all([
    startApiTestBed('api edge limits', {
      API_RATE_LIMIT: 30,
      API_RATE_LIMIT_WINDOW_S: 60,
      API_ADMIN_AUTH_FAILURES: 5,
      API_ADMIN_AUTH_WINDOW_S: 60,
      API_ADMIN_AUTH_BLOCK_S: 120,
      API_TRUST_PROXY: 1,
    }),
    startApiTestBed('api edge', { API_CORS_ORIGINS: [DASHBOARD], API_BODY_MAX_DEPTH: 8 }),
  ]);
});
afterAll(async () => {
  await Promise.all([limited?.dispose(), open?.dispose()]);
});

const send = async (bed: ApiTestBed, path: string, init: RequestInit = {}) => {
  const response = await fetch(`${bed.baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};
const asAdmin = (body: string, contentType = 'application/json') => ({
  method: 'POST',
  headers: { authorization: `Bearer ${open.adminKey}`, 'content-type': contentType },
  body,
});

describe('hostile input is a 4xx naming the field, never a 5xx', () => {
  it.each([
    ['/api/v1/competitions/%00', 'id'],
    ['/api/v1/competitions?name=%00', 'name'],
    ['/api/v1/jobs?miner=%00', 'miner'],
    ['/api/v1/results?validator=a%00', 'validator'],
    ['/api/v1/episodes?task=reach%00', 'task'],
    ['/api/v1/competitions/%00/leaderboard', 'id'],
    ['/api/v1/commitments?miner=%00&competition=mt10', 'miner'],
    ['/api/v1/competitions?offset=9223372036854775808', 'offset'],
    ['/api/v1/competitions?offset=2147483648', 'offset'],
    ['/api/v1/competitions?offset=0x10', 'offset'],
    ['/api/v1/competitions?limit=1e1', 'limit'],
    ['/api/v1/competitions?limit=', 'limit'],
    ['/api/v1/competitions?limit=%205', 'limit'],
    ['/api/v1/submissions/not-a-uuid', 'id'],
    ['/api/v1/competitions?__proto__=1', '__proto__'],
  ])('%s → 400 naming %s', async (path, field) => {
    const response = await send(open, path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  });

  it('reads plain decimal page numbers', async () => {
    const response = await send(open, '/api/v1/competitions?limit=7&offset=2147483647');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ limit: 7, offset: 2147483647, items: [] });
  });

  it('refuses a body nested past API_BODY_MAX_DEPTH before transforming it, naming where', async () => {
    const deep = `{"benchmarks":${'['.repeat(49_000)}${']'.repeat(49_000)}}`; // within API_BODY_LIMIT_BYTES
    const response = await send(open, '/api/v1/admin/competitions', asAdmin(deep));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'benchmarks.0.0.0.0.0.0.0', messages: ['benchmarks.0.0.0.0.0.0.0 nests more than 8 arrays or objects'] }]);
  });

  it('refuses U+0000 and lone surrogates in body text, and fields class-transformer would drop', async () => {
    for (const [overrides, field] of [
      [{ name: 'a\u0000b' }, 'name'],
      [{ description: '\ud800' }, 'description'],
      [{ benchmarks: [{ ...competitionBody('x').benchmarks[0], tasks: ['reach-v3\u0000'] }] }, 'benchmarks.0.tasks'],
      [{ maxRepoBytes: 2 ** 63 }, 'maxRepoBytes'],
    ] as const) {
      const response = await send(open, '/api/v1/admin/competitions', asAdmin(JSON.stringify(competitionBody('edge', overrides))));
      expect([field, response.status]).toEqual([field, 400]);
      expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    const proto = await send(
      open,
      '/api/v1/admin/competitions',
      asAdmin(JSON.stringify(competitionBody('edge')).replace(/^\{/, '{"__proto__":{"admin":true},')),
    );
    expect(proto.body.errors).toEqual([expect.objectContaining({ field: '__proto__' })]);
  });

  it('refuses null for a field that may be left out but whose contract takes no null, naming it; null still clears the dates', async () => {
    const benchmark = competitionBody('x').benchmarks[0];
    for (const [overrides, field] of [
      [{ description: null }, 'description'],
      [{ winMargin: null }, 'winMargin'],
      [{ minValidators: null }, 'minValidators'],
      [{ benchmarks: [{ ...benchmark, camera: null }] }, 'benchmarks.0.camera'],
    ] as const) {
      const response = await send(open, '/api/v1/admin/competitions', asAdmin(JSON.stringify(competitionBody('nulls', overrides))));
      expect([field, response.status]).toEqual([field, 400]);
      expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    expect((await send(open, '/api/v1/admin/competitions', asAdmin(JSON.stringify(competitionBody('dated', { startsAt: null }))))).status).toBe(202);
    const patch = (body: object) => ({ ...asAdmin(JSON.stringify(body)), method: 'PATCH' });
    const nameNull = await send(open, '/api/v1/admin/competitions/dated', patch({ name: null }));
    expect([nameNull.status, nameNull.body.errors]).toEqual([400, [expect.objectContaining({ field: 'name' })]]);
    const cancelNull = await send(open, '/api/v1/admin/jobs/0192f1a0-7c3e-7901-8a1b-000000000901/cancel', asAdmin(JSON.stringify({ reason: null })));
    expect([cancelNull.status, cancelNull.body.errors]).toEqual([400, [expect.objectContaining({ field: 'reason' })]]);
    expect((await send(open, '/api/v1/admin/competitions/dated', patch({ endsAt: null }))).status).not.toBe(400);
  });

  it('answers 415 problem+json for a body that is not JSON, 413 for one over API_BODY_LIMIT_BYTES', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await send(open, '/api/v1/admin/competitions', asAdmin(JSON.stringify(competitionBody('typed')), contentType));
      expect([contentType, response.status, response.headers.get('content-type')]).toEqual([
        contentType,
        415,
        expect.stringContaining('application/problem+json'),
      ]);
      expect(response.body).toMatchObject({ status: 415, title: 'Unsupported Media Type', header: 'content-type' });
    }
    const large = await send(open, '/api/v1/admin/competitions', asAdmin(JSON.stringify(competitionBody('large', { description: 'x'.repeat(200_000) }))));
    expect(large.body).toMatchObject({ status: 413, title: 'Payload Too Large' });
    const vendorJson = await send(open, '/api/v1/admin/competitions', asAdmin(JSON.stringify(competitionBody('vendor')), 'application/merge-patch+json'));
    expect(vendorJson.status).toBe(202);
  });
});

describe('security headers and CORS', () => {
  it('sends helmet’s headers and no X-Powered-By', async () => {
    const { headers } = await send(open, '/api/v1/competitions');
    expect(headers.get('x-powered-by')).toBeNull();
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(headers.get('strict-transport-security')).toContain('max-age=');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('serves the docs page with scripts the policy allows (no inline script)', async () => {
    const response = await fetch(`${open.baseUrl}/api/docs`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('swagger-ui-init.js');
    expect(html).not.toMatch(/<script>[^<]/);
  });

  it('lets a configured origin call the API and read the limit headers; others get no CORS grant', async () => {
    const preflight = await fetch(`${open.baseUrl}/api/v1/admin/competitions`, {
      method: 'OPTIONS',
      headers: { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');

    const read = await fetch(`${open.baseUrl}/api/v1/competitions`, { headers: { origin: DASHBOARD } });
    expect(read.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(read.headers.get('access-control-expose-headers')).toContain('Retry-After');

    const stranger = await fetch(`${open.baseUrl}/api/v1/competitions`, { headers: { origin: 'https://evil.example.com' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const unconfigured = await fetch(`${limited.baseUrl}/api/v1/competitions`, { headers: { origin: DASHBOARD } });
    expect(unconfigured.headers.get('access-control-allow-origin')).toBeNull();
  });
});

const from = (client: string, headers: Record<string, string> = {}) => ({ ...headers, 'x-forwarded-for': client });

describe('rate limits per client', () => {
  it('blocks a client after API_ADMIN_AUTH_FAILURES failed admin authentications, even with the right key; others go on', async () => {
    const attempt = (client: string, key: string) =>
      send(limited, '/api/v1/admin/competitions', {
        method: 'POST',
        headers: from(client, { 'x-api-key': key, 'content-type': 'application/json' }),
        body: JSON.stringify(competitionBody(`c-${client.replaceAll('.', '-')}`)),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await attempt('203.0.113.1', `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);

    const right = await attempt('203.0.113.1', limited.adminKey);
    expect(right.status).toBe(429);
    expect(right.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(right.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(right.body).toMatchObject({ status: 429, title: 'Too Many Requests', retryAfterSeconds: retryAfter });

    expect((await attempt('203.0.113.9', limited.adminKey)).status).toBe(202);
  });

  it('answers 429 with Retry-After past API_RATE_LIMIT requests of a client, every route counted together', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push((await send(limited, i % 2 ? '/api/v1/competitions' : '/api/v1/stats', { headers: from('198.51.100.7') })).status);
    expect(statuses).toEqual([...Array<number>(30).fill(200), 429, 429]);

    const refused = await send(limited, '/api/v1/competitions', { headers: from('198.51.100.7') });
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 429, type: 'https://kinitro.dev/problems/too-many-requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');

    const other = await send(limited, '/api/v1/competitions', { headers: from('198.51.100.8') });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-limit')).toBe('30');
    expect(other.headers.get('x-ratelimit-remaining')).toBe('29');
  });
});
