import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody } from '../testing/fixtures.js';
import { request } from '../testing/http-client.js';
import { LiveClient } from '../testing/ws-client.js';

let bed: ApiTestBed;
const clients: LiveClient[] = [];
const connect = async () => {
  const client = await LiveClient.connect(bed.wsUrl);
  clients.push(client);
  return client;
};
/** Runs an admin command and returns the stream sequence of the event it appended. */
const admin = async (method: string, path: string, body?: unknown): Promise<number> => {
  const response = await request(bed.baseUrl, method, `/api/v1/admin/competitions${path}`, { body, headers: { 'x-api-key': bed.adminKey } });
  expect(response.status).toBe(202);
  return response.body.events[0].streamSequence;
};
const consumersOnEvents = async () => (await bed.nats.jsm.consumers.list(bed.topology.eventsStream).next()).length;

beforeAll(async () => {
  bed = await startApiTestBed('api live');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await bed?.dispose();
});

describe('/ws live feed', () => {
  it('pushes matching events live, with their stream sequence, and nothing else', async () => {
    await admin('POST', '', competitionBody('live-a'));
    await admin('POST', '', competitionBody('live-b'));
    const client = await connect();
    await client.subscribe({ types: ['CompetitionActivated', 'CompetitionDeactivated'], filters: { competitionId: 'live-a' } });

    await admin('POST', '/live-b/activate');
    const activated = await admin('POST', '/live-a/activate');
    await admin('POST', '/live-b/deactivate');
    const deactivated = await admin('POST', '/live-a/deactivate', { reason: 'done' });

    const first = await client.next();
    expect(first).toMatchObject({ op: 'event', streamSequence: activated, event: { type: 'CompetitionActivated', aggregateId: 'live-a' } });
    expect(first.event.streamSequence).toBe(activated);
    expect(await client.next()).toMatchObject({ op: 'event', streamSequence: deactivated, event: { data: { reason: 'done' } } });
  });

  it('replays what a reconnecting client missed, then goes on live, with no gap and no duplicate', async () => {
    const client = await connect();
    await client.subscribe({ types: ['CompetitionCreated'] });
    const seen = await admin('POST', '', competitionBody('re-1'));
    expect((await client.next()).streamSequence).toBe(seen);
    await client.close();

    const missed = [await admin('POST', '', competitionBody('re-2')), await admin('POST', '', competitionBody('re-3'))];
    await admin('POST', '/re-2/activate');

    const again = await connect();
    expect(await again.subscribe({ types: ['CompetitionCreated'], fromSequence: seen + 1 })).toMatchObject({ fromSequence: seen + 1 });
    const replayed = [await again.next(), await again.next()];
    expect(replayed.map((m) => [m.streamSequence, m.event.aggregateId])).toEqual([
      [missed[0], 're-2'],
      [missed[1], 're-3'],
    ]);
    const live = await admin('POST', '', competitionBody('re-4'));
    expect(await again.next()).toMatchObject({ streamSequence: live, event: { aggregateId: 're-4' } });
    expect(again.pending).toBe(0);
  });

  it('filters on envelope fields too', async () => {
    const client = await connect();
    await client.subscribe({ types: ['CompetitionCreated'], filters: { aggregateId: 'live-b' }, fromSequence: 1 });
    expect(await client.next()).toMatchObject({ op: 'event', event: { type: 'CompetitionCreated', aggregateId: 'live-b' } });
    const marker = await admin('POST', '', competitionBody('live-c'));
    await client.subscribe({ types: ['CompetitionCreated'], filters: { aggregateId: 'live-c' }, fromSequence: marker });
    expect(await client.next()).toMatchObject({ streamSequence: marker });
    expect(client.pending).toBe(0);
  });

  it('answers bad messages with an error naming the problem', async () => {
    const client = await connect();
    client.send('not json');
    expect(await client.next()).toEqual({ op: 'error', message: 'message is not JSON' });
    client.send({ op: 'subscribe', types: ['CompetitionCreated', 'NoSuchEvent'] });
    expect((await client.next()).message).toContain('unknown event types: NoSuchEvent');
    client.send({ op: 'dance' });
    expect(await client.next()).toMatchObject({ op: 'error', message: expect.stringContaining('op') });
    client.send({ op: 'subscribe', types: ['CompetitionCreated'], fromSequence: 0 });
    expect((await client.next()).message).toContain('fromSequence');
  });

  it('shares one live reader among clients; replays and closed sockets leave no reader behind', async () => {
    const waitForConsumers = async (count: number) => {
      const deadline = Date.now() + 5000;
      while ((await consumersOnEvents()) !== count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return consumersOnEvents();
    };
    const live = await Promise.all([connect(), connect(), connect()]);
    await Promise.all(live.map((client) => client.subscribe({ types: ['CompetitionCreated'] })));
    const replaying = await connect();
    await replaying.subscribe({ types: ['CompetitionCreated'], fromSequence: 1 });
    expect((await replaying.next()).event.aggregateId).toBe('live-a');
    expect(await waitForConsumers(1)).toBe(1);

    await Promise.all([...live, replaying].map((client) => client.close()));
    const created = await admin('POST', '', competitionBody('after-close'));
    const latecomer = await connect();
    await latecomer.subscribe({ types: ['CompetitionCreated'], fromSequence: created });
    expect((await latecomer.next()).streamSequence).toBe(created);
    expect(await waitForConsumers(1)).toBe(1);
  });
});
