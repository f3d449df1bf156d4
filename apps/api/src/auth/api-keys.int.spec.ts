import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Kvm } from '@nats-io/kv';
import { createHash, randomUUID } from 'node:crypto';
import { newEvent } from '#contracts';
import { eventually } from '#testing';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody, secretOf } from '../testing/fixtures.js';
import { request } from '../testing/http-client.js';
import { LiveClient } from '../testing/ws-client.js';

// Every issued key costs a scrypt derivation (tens of ms, far more on a loaded machine).
jest.setTimeout(60_000);

let bed: ApiTestBed;
const clients: LiveClient[] = [];
const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const issue = async (name: string, role: string, key = bed.adminKey) => {
  const response = await request(bed.baseUrl, 'POST', '/api/v1/admin/keys', { body: { name, role }, ...as(key) });
  expect(response.status).toBe(201);
  return response.body as { keyId: string; key: string; name: string; role: string; issuedBy: string; streamSequence: number };
};
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
/** Every raw message of the events stream, as text: what anyone with read access to the log gets. */
const rawLog = async (): Promise<string> => {
  const info = await bed.nats.jsm.streams.info(bed.topology.eventsStream);
  const bodies: string[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const message = await bed.nats.jsm.streams.getMessage(bed.topology.eventsStream, { seq });
    bodies.push(new TextDecoder().decode(message!.data));
  }
  return bodies.join('\n');
};

beforeAll(async () => {
  bed = await startApiTestBed('api keys');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await bed?.dispose();
});

describe('API keys with roles', () => {
  it('issues a key shown once, whose role decides what it may do', async () => {
    const ops = await issue('ops', 'admin');
    const viewer = await issue('dashboard', 'viewer');
    const validator = await issue('validator-7', 'validator', ops.key);
    expect(ops.key).toMatch(/^kinitro_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(ops.key).toContain(ops.keyId.replaceAll('-', ''));
    expect(validator.issuedBy).toBe('api-key:ops');

    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', as(viewer.key))).body).toEqual({
      name: 'api-key:dashboard',
      role: 'viewer',
      keyId: viewer.keyId,
    });
    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', as(validator.key))).body.role).toBe('validator');
    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', as(bed.adminKey))).body).toEqual({ name: 'bootstrap-admin', role: 'admin', keyId: null });

    // An admin key does admin work; the others are known (403, not 401) and do not.
    const created = await request(bed.baseUrl, 'POST', '/api/v1/admin/competitions', { body: competitionBody('keys-a'), ...as(ops.key) });
    expect(created.status).toBe(202);
    for (const key of [viewer.key, validator.key]) {
      const refused = await request(bed.baseUrl, 'POST', '/api/v1/admin/competitions', { body: competitionBody('keys-b'), ...as(key) });
      expect(refused.status).toBe(403);
      expect(refused.contentType).toContain('application/problem+json');
      expect((await request(bed.baseUrl, 'GET', '/api/v1/admin/keys', as(key))).status).toBe(403);
    }
    // A wrong secret with a real key id is not the key.
    const forged = ops.key.slice(0, -4) + (ops.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', as(forged))).status).toBe(401);

    await bed.project();
    const listed = await request(bed.baseUrl, 'GET', '/api/v1/admin/keys?revoked=false', as(ops.key));
    expect(listed.body.items.map((k: { name: string }) => k.name).sort()).toEqual(['dashboard', 'ops', 'validator-7']);
    expect(listed.body.items.find((k: { name: string }) => k.name === 'validator-7')).toMatchObject({
      role: 'validator',
      issuedBy: 'api-key:ops',
      revoked: false,
      legacy: false,
    });
    expect(JSON.stringify(listed.body)).not.toContain(secretOf(ops.key));
    const viewers = await request(bed.baseUrl, 'GET', '/api/v1/admin/keys?role=viewer', as(ops.key));
    expect(viewers.body.items.map((k: { keyId: string }) => k.keyId)).toEqual([viewer.keyId]);
  });

  it('puts no key material in the log, its reads or the live feed; the verifier is a salted scrypt hash kept apart', async () => {
    const feed = await LiveClient.connect(bed.wsUrl);
    clients.push(feed);
    await feed.subscribe({ types: ['ApiKeyIssued'], fromSequence: 1 });
    const issued = await issue('secret-keeper', 'viewer');
    const secret = secretOf(issued.key);
    const forbidden = [issued.key, secret, sha256Hex(issued.key), sha256Hex(secret)];

    const log = await rawLog();
    const pages = JSON.stringify((await request(bed.baseUrl, 'GET', '/api/v1/events?fromSequence=1&limit=200')).body);
    const history = JSON.stringify((await request(bed.baseUrl, 'GET', `/api/v1/events/api-key/${issued.keyId}`)).body);
    const live: string[] = [];
    await eventually('the key on the feed', async () => {
      while (feed.pending > 0) live.push(JSON.stringify(await feed.next()));
      return live.some((m) => m.includes(issued.keyId));
    });
    expect(history).toContain(issued.keyId);
    for (const text of [log, pages, history, live.join('\n')]) for (const material of forbidden) expect(text).not.toContain(material);
    expect(live.find((m) => m.includes(issued.keyId))).not.toContain('sha256');

    const entry = await (await new Kvm(bed.nats.js).open(bed.topology.apiKeysBucket)).get(issued.keyId);
    const verifier = entry!.json<Record<string, unknown>>();
    expect(Object.keys(verifier).sort()).toEqual(['N', 'hash', 'keyId', 'name', 'p', 'r', 'role', 'salt']);
    expect(verifier.N).toBeGreaterThanOrEqual(2 ** 14);
    for (const material of forbidden) expect(JSON.stringify(verifier)).not.toContain(material);
  });

  it('revokes a key: refused at once, a second revocation conflicts, an unknown key is 404', async () => {
    const doomed = await issue('doomed', 'admin');
    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', as(doomed.key))).status).toBe(200);
    const revoked = await request(bed.baseUrl, 'POST', `/api/v1/admin/keys/${doomed.keyId}/revoke`, as(bed.adminKey));
    expect(revoked.status).toBe(202);
    expect(revoked.body.events[0]).toMatchObject({ type: 'ApiKeyRevoked', aggregateId: doomed.keyId });
    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', as(doomed.key))).status).toBe(401);
    expect((await request(bed.baseUrl, 'POST', `/api/v1/admin/keys/${doomed.keyId}/revoke`, as(bed.adminKey))).status).toBe(409);
    expect((await request(bed.baseUrl, 'POST', `/api/v1/admin/keys/${randomUUID()}/revoke`, as(bed.adminKey))).status).toBe(404);
    await bed.project();
    const listed = await request(bed.baseUrl, 'GET', '/api/v1/admin/keys?revoked=true', as(bed.adminKey));
    expect(listed.body.items).toEqual([expect.objectContaining({ keyId: doomed.keyId, revoked: true, revokedBy: 'bootstrap-admin' })]);
  });

  it('keeps an older ApiKeyIssued (with its SHA-256) readable, withholds the hash from reads, and refuses that key', async () => {
    const keyId = randomUUID();
    const legacyKey = 'a-key-from-before';
    const data = { keyId, name: 'legacy', sha256: sha256Hex(legacyKey), role: 'admin' as const, issuedBy: 'bootstrap-admin' };
    await bed.store.append('api-key', keyId, [newEvent('ApiKeyIssued', data)], { expected: { version: 0, lastSequence: 0 } });
    const history = await request(bed.baseUrl, 'GET', `/api/v1/events/api-key/${keyId}`);
    expect(history.body.items[0].data).toEqual({ keyId, name: 'legacy', role: 'admin', issuedBy: 'bootstrap-admin' });
    // Nor can the feed be asked whether a guessed hash is the one: filters see only what is shown.
    const feed = await LiveClient.connect(bed.wsUrl);
    clients.push(feed);
    await feed.subscribe({ subscription: 'probe', types: ['ApiKeyIssued'], filters: { sha256: data.sha256 }, fromSequence: 1 });
    await feed.subscribe({ subscription: 'named', types: ['ApiKeyIssued'], filters: { keyId }, fromSequence: 1 });
    const shown = await feed.next();
    expect([shown.subscription, shown.event.data]).toEqual(['named', { keyId, name: 'legacy', role: 'admin', issuedBy: 'bootstrap-admin' }]);
    expect(feed.pending).toBe(0);
    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', as(legacyKey))).status).toBe(401);
    await bed.project();
    const listed = await request(bed.baseUrl, 'GET', '/api/v1/admin/keys', as(bed.adminKey));
    expect(listed.body.items.find((k: { keyId: string }) => k.keyId === keyId)).toMatchObject({ legacy: true, revoked: false });
    expect(JSON.stringify(listed.body)).not.toContain(data.sha256);
  });
});
