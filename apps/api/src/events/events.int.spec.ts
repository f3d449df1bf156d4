import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeEnvelope } from '#contracts';
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

  it('reads a window without creating a JetStream consumer', async () => {
    const requests: string[] = [];
    const watch = bed.nats.nc.subscribe('$JS.API.CONSUMER.>', { callback: (_error, msg) => void requests.push(msg.subject) });
    await bed.nats.nc.flush();
    for (let i = 0; i < 3; i++) expect((await api('GET', '/api/v1/events?fromSequence=1&limit=10')).body.items).toHaveLength(2);
    await bed.nats.nc.flush();
    watch.unsubscribe();
    expect(requests.filter((subject) => subject.includes(bed.topology.eventsStream))).toEqual([]);
  });

  it('refuses a sequence that is not a plain safe integer, before anything reaches NATS', async () => {
    for (const bad of ['1e20', '1e3', '0x10', '1.0', '-1', '0', ' 1', '9007199254740992', '99999999999999999999']) {
      const { status, body } = await api('GET', `/api/v1/events?fromSequence=${encodeURIComponent(bad)}`);
      expect([bad, status]).toEqual([bad, 400]);
      expect(JSON.stringify(body)).toContain('fromSequence');
    }
    const end = await api('GET', '/api/v1/events?fromSequence=9007199254740991&limit=1000');
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ items: [], poison: [], nextSequence: 9007199254740991 });
    expect((await api('GET', '/api/v1/events/1e3')).status).toBe(400);
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

  it('answers 404 problem+json for an aggregate with no events', async () => {
    const never = await api('GET', '/api/v1/events/competition/never-created');
    expect(never.status).toBe(404);
    expect(never.contentType).toContain('application/problem+json');
  });

  it('answers 400 naming the parameter for an unknown aggregate type, as for every enum the API takes', async () => {
    const unknownType = await api('GET', '/api/v1/events/spaceship/audited');
    expect(unknownType.status).toBe(400);
    expect(unknownType.contentType).toContain('application/problem+json');
    expect(unknownType.body.errors).toEqual([{ field: 'aggregate', messages: [expect.stringContaining('must be an aggregate type (competition, ')] }]);
  });

  it('answers 400 naming the id when it is not a literal aggregate id (no wildcards, no U+0000 into the subject)', async () => {
    for (const id of ['*', '>', 'a.b', 'a\u0000b', 'x'.repeat(129)]) {
      const { status, body } = await api('GET', `/api/v1/events/competition/${encodeURIComponent(id)}`);
      expect(status).toBe(400);
      expect(body.errors).toEqual([{ field: 'aggregateId', messages: [expect.stringContaining('aggregateId must be an aggregate id')] }]);
    }
  });
});

describe('events the projector rejected', () => {
  it('are listed with their reason and shown on the event at their sequence', async () => {
    // Valid by its contract, beyond Postgres' integer: published raw, past the store's checks.
    const eventId = randomUUID();
    const refused = await bed.nats.js.publish(
      bed.topology.eventSubject('competition', 'audited'),
      encodeEnvelope({
        eventId,
        type: 'CompetitionUpdated',
        schemaVersion: 1,
        aggregate: 'competition',
        aggregateId: 'audited',
        aggregateVersion: 3,
        occurredAt: new Date().toISOString(),
        correlationId: eventId,
        causationId: null,
        producer: { app: 'raw', version: '0' },
        data: { competitionId: 'audited', changes: { minValidators: 2 ** 40 }, updatedBy: 'mallory' },
      }),
    );
    await bed.project();
    const reason = 'competitions.min_validators: 1099511627776 is out of range for integer';
    const listed = await api('GET', '/api/v1/events/rejected');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      total: 1,
      items: [{ streamSequence: refused.seq, eventId, type: 'CompetitionUpdated', aggregate: 'competition', aggregateId: 'audited', reason }],
    });
    const at = await api('GET', `/api/v1/events/${refused.seq}`);
    expect(at.status).toBe(200);
    expect(at.body).toMatchObject({ streamSequence: refused.seq, event: { eventId, type: 'CompetitionUpdated' }, poison: null, rejected: { reason } });
    const clean = await api('GET', `/api/v1/events/${createdSeq}`);
    expect(clean.body).toMatchObject({ event: { type: 'CompetitionCreated' }, rejected: null });
    expect((await api('GET', `/api/v1/events/${poisonSeq}`)).body).toMatchObject({ event: null, poison: { streamSequence: poisonSeq } });
    expect((await api('GET', `/api/v1/events/${refused.seq + 100}`)).status).toBe(404);
  });

  it('are typed in the OpenAPI document', async () => {
    const { body } = await api('GET', '/api/docs-json');
    expect(Object.keys(body.components.schemas.RejectedEventDto.properties).sort()).toEqual([
      'aggregate',
      'aggregateId',
      'eventId',
      'reason',
      'recordedAt',
      'streamSequence',
      'type',
    ]);
    expect(body.paths['/api/v1/events/rejected'].get.responses['200']).toBeDefined();
    expect(body.paths['/api/v1/events/{sequence}'].get.responses['200']).toBeDefined();
  });
});

describe('an aggregate whose own subject holds a message that is not its event', () => {
  it('answers 409 problem+json naming the message, for its audit history and for commands on it, never a 500', async () => {
    await api('POST', '/api/v1/admin/competitions', competitionBody('wedged'));
    const poison = await bed.nats.js.publish(bed.topology.eventSubject('competition', 'wedged'), JSON.stringify({ hello: 'not an envelope' }));
    for (const [method, path] of [
      ['GET', '/api/v1/events/competition/wedged'],
      ['POST', '/api/v1/admin/competitions/wedged/activate'],
    ] as const) {
      const { status, contentType, body } = await api(method, path);
      expect([path, status, contentType]).toEqual([path, 409, expect.stringContaining('application/problem+json')]);
      expect(body).toMatchObject({
        type: expect.stringContaining('unreadable-history'),
        aggregate: 'competition',
        aggregateId: 'wedged',
        streamSequence: poison.seq,
      });
      expect(body.detail).toContain(`/api/v1/events/${poison.seq}`);
    }
  });
});
