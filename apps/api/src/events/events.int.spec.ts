import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody } from '../testing/fixtures.js';
import { request } from '../testing/http-client.js';

let bed: ApiTestBed;
const api = (method: string, path: string, body?: unknown) =>
  request(bed.baseUrl, method, path, { body, headers: { authorization: `Bearer ${bed.adminKey}` } });

let createdSeq: number;
let activatedSeq: number;
let poisonSeq: number;

beforeAll(async () => {
  bed = await startApiTestBed('api events');
  createdSeq = (await api('POST', '/api/v1/admin/competitions', competitionBody('audited'))).body.events[0].streamSequence;
  poisonSeq = (await bed.nats.js.publish(bed.topology.eventSubject('competition', 'garbage'), 'not an event')).seq;
  activatedSeq = (await api('POST', '/api/v1/admin/competitions/audited/activate')).body.events[0].streamSequence;
});
afterAll(async () => {
  await bed?.dispose();
});

describe('GET /api/v1/events (the audit log by stream sequence)', () => {
  it('returns the events in order with their stream sequence, and names poison messages instead of skipping them', async () => {
    const { status, body } = await api('GET', '/api/v1/events?fromSequence=1&limit=10');
    expect(status).toBe(200);
    expect(body.items.map((e: { type: string; streamSequence: number }) => [e.type, e.streamSequence])).toEqual([
      ['CompetitionCreated', createdSeq],
      ['CompetitionActivated', activatedSeq],
    ]);
    expect(body.poison).toEqual([expect.objectContaining({ streamSequence: poisonSeq, reason: expect.stringContaining('not UTF-8 JSON') })]);
    expect(body).toMatchObject({ nextSequence: activatedSeq + 1, lastSequence: activatedSeq });
  });

  it('pages by sequence and filters by type', async () => {
    const first = await api('GET', '/api/v1/events?fromSequence=1&limit=1');
    expect(first.body.items.map((e: { type: string }) => e.type)).toEqual(['CompetitionCreated']);
    expect(first.body.nextSequence).toBe(createdSeq + 1);
    const activations = await api('GET', `/api/v1/events?fromSequence=${first.body.nextSequence}&type=CompetitionActivated`);
    expect(activations.body.items.map((e: { streamSequence: number }) => e.streamSequence)).toEqual([activatedSeq]);
  });

  it('rejects a bad window with 400 naming the parameter', async () => {
    const { status, body } = await api('GET', '/api/v1/events?limit=5000&type=Nope');
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('limit');
    expect(JSON.stringify(body)).toContain('type');
  });
});

describe('GET /api/v1/events/:aggregate/:id (one aggregate’s history)', () => {
  it('returns every event of the aggregate with its version', async () => {
    const { status, body } = await api('GET', '/api/v1/events/competition/audited');
    expect(status).toBe(200);
    expect(body.version).toBe(2);
    expect(body.items.map((e: { type: string; aggregateVersion: number }) => [e.type, e.aggregateVersion])).toEqual([
      ['CompetitionCreated', 1],
      ['CompetitionActivated', 2],
    ]);
  });

  it('answers 404 problem+json for an unknown aggregate type or an aggregate with no events', async () => {
    const unknownType = await api('GET', '/api/v1/events/spaceship/audited');
    expect(unknownType.status).toBe(404);
    expect(unknownType.contentType).toContain('application/problem+json');
    expect(unknownType.body.detail).toContain('unknown aggregate type "spaceship"');
    expect((await api('GET', '/api/v1/events/competition/never-created')).status).toBe(404);
  });

  it('answers 400 naming the id when it is not a literal aggregate id (no wildcards into the subject)', async () => {
    for (const id of ['*', '>', 'a.b']) {
      const { status, body } = await api('GET', `/api/v1/events/competition/${encodeURIComponent(id)}`);
      expect(status).toBe(400);
      expect(body).toMatchObject({ aggregate: 'competition', aggregateId: id });
    }
  });
});
