import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { evaluationIdFor } from '#domain';
import { PLATFORM_VERSION } from '#platform';
import { eventually } from '#testing';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody } from '../testing/fixtures.js';
import { request } from '../testing/http-client.js';
import { ALICE, claim, EVE, seeder, start } from '../testing/scenario.js';
import { LiveClient } from '../testing/ws-client.js';

let bed: ApiTestBed;
const clients: LiveClient[] = [];
const connect = async (options = {}) => {
  const client = await LiveClient.connect(bed.wsUrl, options);
  clients.push(client);
  return client;
};
const admin = async (path: string, body?: unknown): Promise<number> => {
  const response = await request(bed.baseUrl, 'POST', `/api/v1/admin/competitions${path}`, { body, headers: { 'x-api-key': bed.adminKey } });
  expect(response.status).toBe(202);
  return response.body.events[0].streamSequence;
};

beforeAll(async () => {
  bed = await startApiTestBed('api live protocol', { WS_PING_INTERVAL_MS: 200, WS_IDLE_TIMEOUT_MS: 3000, WS_MAX_ACTIVE_SUBSCRIPTIONS: 2 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await bed?.dispose();
});

describe('/ws protocol', () => {
  it('welcomes a client with the server, its version, the protocol and the limits', async () => {
    const client = await connect();
    expect(client.welcome).toEqual({
      op: 'welcome',
      server: 'kinitro-api',
      version: PLATFORM_VERSION,
      protocol: 2,
      limits: { maxPayloadBytes: 65536, maxSubscriptionsPerSocket: 100, maxActiveSubscriptions: 2, pingIntervalMs: 200, idleTimeoutMs: 3000 },
    });
  });

  it('answers an application ping with a pong echoing its id', async () => {
    const client = await connect();
    client.send({ op: 'ping', id: 'p-1' });
    const pong = await client.next();
    expect(pong).toEqual({ op: 'pong', id: 'p-1', at: expect.any(String) });
    expect(Number.isNaN(Date.parse(pong.at))).toBe(false);
    client.send({ op: 'ping', id: { nested: true } });
    expect((await client.next()).op).toBe('error');
  });

  it('pings at the WebSocket level; keeps a client that answers, drops one that does not', async () => {
    const answering = await connect();
    let pings = 0;
    answering.raw.on('ping', () => pings++);
    const silent = await connect({ autoPong: false });
    const closed = new Promise<number>((resolve) => silent.raw.once('close', (code) => resolve(code)));
    // 1006: terminated, no close frame (a dead peer would not answer one).
    expect(await closed).toBe(1006);
    await eventually('pings to the answering client', () => pings >= 3);
    expect(answering.raw.readyState).toBe(answering.raw.OPEN);
    answering.send({ op: 'ping' });
    expect((await answering.next()).op).toBe('pong');
  });

  it('holds several named subscriptions on one socket, each event tagged with its own', async () => {
    const client = await connect();
    await client.subscribe({ subscription: 'created', types: ['CompetitionCreated'] });
    await client.subscribe({ subscription: 'activated', types: ['CompetitionActivated'] });
    const created = await admin('', competitionBody('multi-a'));
    const activated = await admin('/multi-a/activate');
    const received = [await client.next(), await client.next()];
    expect(received.map((m) => [m.subscription, m.streamSequence])).toEqual([
      ['created', created],
      ['activated', activated],
    ]);
    // A third is over WS_MAX_ACTIVE_SUBSCRIPTIONS (2): refused, the socket stays.
    client.send({ op: 'subscribe', subscription: 'third', types: ['CompetitionDeactivated'] });
    expect(await client.next()).toMatchObject({ op: 'error', subscription: 'third', message: expect.stringContaining('WS_MAX_ACTIVE_SUBSCRIPTIONS') });

    client.send({ op: 'unsubscribe', subscription: 'created' });
    expect(await client.next()).toEqual({ op: 'unsubscribed', subscription: 'created' });
    await admin('', competitionBody('multi-b'));
    await admin('/multi-a/deactivate');
    // Neither multi-b's creation (its subscription is gone) nor the deactivation (no subscription's type) comes first.
    const marker = await admin('/multi-b/activate');
    expect(await client.next()).toMatchObject({ op: 'event', subscription: 'activated', streamSequence: marker });
    expect(client.pending).toBe(0);
    client.send({ op: 'unsubscribe' });
    expect(await client.next()).toEqual({ op: 'unsubscribed', subscription: null });
  });

  it('sends a snapshot of the job’s current status first, then every event after it with no gap', async () => {
    const seed = seeder(bed.store);
    await seed.competition('snap');
    const submission = await seed.submission('snap', ALICE, 10);
    const jobId = await seed.job({ id: submission, competitionId: 'snap', hotkey: ALICE }, 'control');
    await seed.evaluate(jobId, EVE, claim(jobId, EVE));
    await bed.project();
    // Appended after the projection: not in the snapshot, so it must come as an event.
    await seed.evaluate(jobId, EVE, start);

    const client = await connect();
    client.send({ op: 'subscribe', subscription: 'job', types: ['EvaluationStarted', 'EvaluationCompleted'], filters: { jobId }, snapshot: true });
    const snapshot = await client.next();
    expect(snapshot).toMatchObject({
      op: 'snapshot',
      subscription: 'job',
      state: {
        job: { id: jobId, submissionId: submission },
        jobStatus: [{ jobId, validator: EVE, status: 'STARTING', evaluationId: evaluationIdFor(jobId, EVE) }],
      },
    });
    const subscribed = await client.next();
    expect(subscribed).toMatchObject({ op: 'subscribed', subscription: 'job', fromSequence: snapshot.projectedSequence + 1 });
    expect(await client.next()).toMatchObject({ op: 'event', subscription: 'job', event: { type: 'EvaluationStarted', data: { jobId } } });
    expect(client.pending).toBe(0);
  });
});
