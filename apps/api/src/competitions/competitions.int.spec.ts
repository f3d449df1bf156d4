import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { newEvent } from '#contracts';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody } from '../testing/fixtures.js';
import { request } from '../testing/http-client.js';

let bed: ApiTestBed;
let admin: Record<string, string>;
const api = (method: string, path: string, options?: Parameters<typeof request>[3]) => request(bed.baseUrl, method, path, options);
const asAdmin = (method: string, path: string, body?: unknown) => api(method, `/api/v1/admin/competitions${path}`, { body, headers: admin });

beforeAll(async () => {
  bed = await startApiTestBed('api competitions');
  admin = { authorization: `Bearer ${bed.adminKey}` };
});
afterAll(async () => {
  await bed?.dispose();
});

describe('admin competition commands', () => {
  it('creates a competition: 202 with the appended event, then served once projected', async () => {
    const created = await asAdmin('POST', '', competitionBody('alpha', { description: 'first' }));
    expect(created.status).toBe(202);
    expect(created.body.events).toEqual([
      { eventId: expect.any(String), type: 'CompetitionCreated', aggregateId: 'alpha', aggregateVersion: 1, streamSequence: expect.any(Number) },
    ]);

    expect((await api('GET', '/api/v1/competitions/alpha')).status).toBe(404);
    await bed.project();
    const served = await api('GET', '/api/v1/competitions/alpha');
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({
      id: 'alpha',
      name: 'Competition alpha',
      description: 'first',
      active: false,
      weightShare: 0.5,
      winMargin: 0.05,
      createdBy: 'bootstrap-admin',
      lastSequence: created.body.events[0].streamSequence,
    });
  });

  it('refuses a request without a key, or with a wrong one: 401 problem+json', async () => {
    const missing = await api('POST', '/api/v1/admin/competitions', { body: competitionBody('nokey') });
    expect(missing.status).toBe(401);
    expect(missing.contentType).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/api/v1/admin/competitions' });

    const wrong = await api('POST', '/api/v1/admin/competitions', { body: competitionBody('nokey'), headers: { authorization: 'Bearer not-the-key' } });
    expect(wrong.status).toBe(401);
    const wrongHeader = await api('POST', '/api/v1/admin/competitions', { body: competitionBody('nokey'), headers: { 'x-api-key': 'nope' } });
    expect(wrongHeader.status).toBe(401);
  });

  it('accepts the key in X-API-Key too', async () => {
    const created = await api('POST', '/api/v1/admin/competitions', { body: competitionBody('beta'), headers: { 'x-api-key': bed.adminKey } });
    expect(created.status).toBe(202);
  });

  it('accepts an issued admin key until it is revoked; a key only its SHA-256 names in the log is refused', async () => {
    const issued = await api('POST', '/api/v1/admin/keys', { body: { name: 'ops', role: 'admin' }, headers: admin });
    expect(issued.status).toBe(201);
    const headers = { authorization: `Bearer ${issued.body.key}` };
    expect((await api('POST', '/api/v1/admin/competitions', { body: competitionBody('by-ops'), headers })).status).toBe(202);
    await bed.project();
    expect((await api('GET', '/api/v1/competitions/by-ops')).body.createdBy).toBe('api-key:ops');
    expect((await api('POST', `/api/v1/admin/keys/${issued.body.keyId}/revoke`, { headers })).status).toBe(202);
    expect((await api('POST', '/api/v1/admin/competitions/by-ops/activate', { headers })).status).toBe(401);

    // Issued by an older API: the key's unsalted hash is public, so the key no longer opens anything.
    const legacy = 'issued-key-for-tests';
    const keyId = randomUUID();
    const sha256 = createHash('sha256').update(legacy).digest('hex');
    await bed.store.append('api-key', keyId, [newEvent('ApiKeyIssued', { keyId, name: 'old', sha256, role: 'admin', issuedBy: 'test' })], { expected: 'any' });
    await bed.project();
    expect((await api('POST', '/api/v1/admin/competitions/by-ops/activate', { headers: { authorization: `Bearer ${legacy}` } })).status).toBe(401);
  });

  it('refuses an invalid body with 400, naming the fields', async () => {
    const invalid = await asAdmin('POST', '', competitionBody('gamma', { weightShare: 2, colour: 'red' }));
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toContain('application/problem+json');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'weightShare']);
    expect(invalid.body.detail).toContain('weightShare');

    const nested = await asAdmin('POST', '', competitionBody('gamma', { benchmarks: [{ name: 'x', provider: 'mujoco' }] }));
    expect(nested.status).toBe(400);
    expect(nested.body.errors.map((e: { field: string }) => e.field)).toContain('benchmarks.0.provider');
  });

  it('takes the optional scoring settings into the event, and refuses out-of-range ones naming the field', async () => {
    const updated = await asAdmin('PATCH', '/beta', { minSuccessRate: 0.4, minMeanReward: -2, maxMarginGap: 0.2 });
    expect(updated.status).toBe(202);
    const sequence = updated.body.events[0].streamSequence;
    const logged = await api('GET', `/api/v1/events?fromSequence=${sequence}&limit=1`);
    expect(logged.body.items[0].data).toMatchObject({ competitionId: 'beta', changes: { minSuccessRate: 0.4, minMeanReward: -2, maxMarginGap: 0.2 } });

    const invalid = await asAdmin('POST', '', competitionBody('scored-bad', { minSuccessRate: 1.5, maxMarginGap: -1 }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['maxMarginGap', 'minSuccessRate']);
  });

  it('refuses a name or description Postgres cannot store (U+0000, a lone surrogate): 400 naming the field, nothing stored', async () => {
    for (const [field, value] of [
      ['name', 'robot\u0000arm'],
      ['description', 'half a pair: \ud800'],
    ] as const) {
      const refused = await asAdmin('POST', '', competitionBody('nul-test', { [field]: value }));
      expect(refused.status).toBe(400);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    const update = await asAdmin('PATCH', '/alpha', { description: 'x\u0000' });
    expect(update.status).toBe(400);
    expect(update.body.errors).toEqual([expect.objectContaining({ field: 'description' })]);
    await bed.project();
    expect((await api('GET', '/api/v1/competitions/nul-test')).status).toBe(404);
    expect((await api('GET', '/api/v1/competitions/alpha')).body.description).not.toContain('\u0000');
  });

  it('refuses to create a competition twice: 409', async () => {
    const again = await asAdmin('POST', '', competitionBody('alpha'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, code: 'conflict', detail: 'competition alpha already exists' });
  });

  it('refuses settings the domain rejects: 422', async () => {
    const backwards = await asAdmin('POST', '', competitionBody('delta', { startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' }));
    expect(backwards.status).toBe(422);
    expect(backwards.body.issues).toEqual([{ path: 'settings.endsAt', message: 'must be after startsAt' }]);
  });

  it('updates, activates and deactivates; repeating an activation appends nothing', async () => {
    const updated = await asAdmin('PATCH', '/alpha', { weightShare: 0.25 });
    expect(updated.status).toBe(202);
    expect((await asAdmin('PATCH', '/alpha', { weightShare: 0.25 })).status).toBe(422);
    expect((await asAdmin('PATCH', '/nope', { weightShare: 0.25 })).status).toBe(404);

    const activated = await asAdmin('POST', '/alpha/activate');
    expect(activated.body.events.map((e: { type: string }) => e.type)).toEqual(['CompetitionActivated']);
    expect((await asAdmin('POST', '/alpha/activate')).body).toEqual({ events: [] });
    await bed.project();
    expect((await api('GET', '/api/v1/competitions/alpha')).body).toMatchObject({ active: true, weightShare: 0.25 });

    const deactivated = await asAdmin('POST', '/alpha/deactivate', { reason: 'season over' });
    expect(deactivated.body.events.map((e: { type: string }) => e.type)).toEqual(['CompetitionDeactivated']);
    await bed.project();
    expect((await api('GET', '/api/v1/competitions/alpha')).body.active).toBe(false);
  });

  it('leaves the settings an update does not name as they were', async () => {
    await asAdmin('POST', '', competitionBody('epsilon', { description: 'kept', winMargin: 0.2 }));
    expect((await asAdmin('PATCH', '/epsilon', { name: 'renamed' })).status).toBe(202);
    await bed.project();
    expect((await api('GET', '/api/v1/competitions/epsilon')).body).toMatchObject({ name: 'renamed', description: 'kept', winMargin: 0.2 });
  });
});

describe('competition queries', () => {
  beforeAll(async () => {
    for (const id of ['q-one', 'q-two', 'q-three']) expect((await asAdmin('POST', '', competitionBody(id))).status).toBe(202);
    await asAdmin('POST', '/q-two/activate');
    await bed.project();
  });

  it('pages with totals', async () => {
    const first = await api('GET', '/api/v1/competitions?limit=2');
    expect(first.body).toMatchObject({ total: 7, limit: 2, offset: 0 });
    expect(first.body.items).toHaveLength(2);
    const pages = [first, ...(await Promise.all([2, 4, 6].map((offset) => api('GET', `/api/v1/competitions?limit=2&offset=${offset}`))))];
    expect(pages.map((page) => page.body.items.length)).toEqual([2, 2, 2, 1]);
    const ids = pages.flatMap((page) => page.body.items.map((c: { id: string }) => c.id));
    expect(ids.sort()).toEqual(['alpha', 'beta', 'by-ops', 'epsilon', 'q-one', 'q-three', 'q-two']);
  });

  it('filters by active and by name', async () => {
    const active = await api('GET', '/api/v1/competitions?active=true');
    expect(active.body.items.map((c: { id: string }) => c.id)).toEqual(['q-two']);
    expect(active.body.total).toBe(1);
    const named = await api('GET', '/api/v1/competitions?name=Competition%20q-t');
    expect(named.body.items.map((c: { id: string }) => c.id).sort()).toEqual(['q-three', 'q-two']);
    expect((await api('GET', '/api/v1/competitions?name=100%25')).body.total).toBe(0);
  });

  it('refuses an invalid query with 400 naming the parameter', async () => {
    const invalid = await api('GET', '/api/v1/competitions?limit=0&active=maybe');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['active', 'limit']);
  });

  it('answers an unknown competition or route with 404 problem+json', async () => {
    const unknown = await api('GET', '/api/v1/competitions/nope');
    expect(unknown).toMatchObject({ status: 404, body: { status: 404, detail: 'competition nope not found' } });
    expect(unknown.contentType).toContain('application/problem+json');
    expect((await api('GET', '/api/v1/nothing-here')).status).toBe(404);
  });
});

describe('service endpoints', () => {
  it('serves the OpenAPI document', async () => {
    const docs = await api('GET', '/api/docs-json');
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/competitions', '/api/v1/admin/competitions', '/api/v1/jobs/{id}/status', '/api/v1/health']),
    );
    expect(docs.body.components.schemas.CreateCompetitionBody.required).toEqual(expect.arrayContaining(['id', 'benchmarks']));
  });

  it('reports NATS and Postgres reachable', async () => {
    const health = await api('GET', '/api/v1/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', nats: { status: 'up' }, postgres: { status: 'up' } } });
  });
});
