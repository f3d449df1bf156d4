import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newEvent } from '#contracts';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, BOB, CHARLIE, claim, complete, DAVE, fail, seeder, start } from '../testing/scenario.js';

let bed: ApiTestBed;
const get = (path: string) => request(bed.baseUrl, 'GET', `/api/v1/validators${path}`);
const hotkeys = (page: { items: { hotkey: string }[] }) => page.items.map((v) => v.hotkey);

const neuron = (uid: number, hotkey: string, stake: string, validatorPermit: boolean) => ({ uid, hotkey, coldkey: DAVE, stake, validatorPermit, active: true });
const snapshot = (block: number, neurons: ReturnType<typeof neuron>[]) =>
  bed.store.append('metagraph', '2', [newEvent('MetagraphSynced', { netuid: 2, block, blockHash: `0x${block.toString(16).padStart(64, '0')}`, neurons })], {
    expected: 'any',
  });

/**
 * Block 100 lists Alice (900 rao, permit), Bob (2.5e22 rao, permit), Charlie (5000, no permit); block 200 lists
 * Alice (now 1000) and Charlie only, so Bob is inactive, without his permit, and last seen at 100. Stake sorts by value: as text,
 * "900" would come before "25000…".
 */
beforeAll(async () => {
  bed = await startApiTestBed('api validators');
  await snapshot(100, [neuron(0, ALICE, '900', true), neuron(1, BOB, '25000000000000000000000', true), neuron(2, CHARLIE, '5000', false)]);
  // The snapshots give the permits (the judge reads them), not the seeder.
  const seed = seeder(bed.store, { permits: false });
  await seed.competition('mt10');
  const submissionId = await seed.submission('mt10', DAVE, 10);
  const jobs = [];
  for (let i = 0; i < 3; i += 1) jobs.push(await seed.job({ id: submissionId, competitionId: 'mt10', hotkey: DAVE }, 'control'));
  // Bob: one claimed (STARTING) while block 100 gave him a permit; Alice: one running, one completed, one failed.
  await seed.evaluate(jobs[0]!, BOB, claim(jobs[0]!, BOB));
  await snapshot(200, [neuron(0, ALICE, '1000', true), neuron(2, CHARLIE, '5000', false)]);
  await seed.evaluate(jobs[0]!, ALICE, claim(jobs[0]!, ALICE), start);
  await seed.evaluate(jobs[1]!, ALICE, claim(jobs[1]!, ALICE), start, complete(0.5));
  await seed.evaluate(jobs[2]!, ALICE, claim(jobs[2]!, ALICE), start, fail);
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('GET /api/v1/validators', () => {
  it('lists every neuron by stake, highest first, comparing stakes as numbers', async () => {
    const page = await get('');
    expect(page.status).toBe(200);
    expect(hotkeys(page.body)).toEqual([BOB, CHARLIE, ALICE]);
    expect(page.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(page.body.items[2]).toEqual({
      hotkey: ALICE,
      netuid: 2,
      uid: 0,
      stake: '1000',
      validatorPermit: true,
      active: true,
      lastSeenBlock: 200,
      consensusEntries: 0,
      outlierEntries: 0,
      agreement: null,
      agreementSequence: null,
      lastSequence: expect.any(Number),
    });
    expect(page.body.items[0]).toMatchObject({ hotkey: BOB, stake: '25000000000000000000000', active: false, lastSeenBlock: 100 });
  });

  it('filters by permit and by activity', async () => {
    // Bob, no longer listed, holds no permit any more (the projector's judge reads this column).
    expect(hotkeys((await get('?permit=true')).body)).toEqual([ALICE]);
    expect(hotkeys((await get('?permit=false')).body)).toEqual([BOB, CHARLIE]);
    expect(hotkeys((await get('?active=false')).body)).toEqual([BOB]);
    expect(hotkeys((await get('?active=true&permit=true')).body)).toEqual([ALICE]);
  });

  it('sorts by last seen block either way, ties by hotkey', async () => {
    // Charlie (5FLS…) sorts before Alice (5Grw…); both last seen at 200, Bob at 100.
    expect(hotkeys((await get('?sort=lastSeen&order=asc')).body)).toEqual([BOB, CHARLIE, ALICE]);
    expect(hotkeys((await get('?sort=lastSeen')).body)).toEqual([CHARLIE, ALICE, BOB]);
    expect(hotkeys((await get('?order=asc')).body)).toEqual([ALICE, CHARLIE, BOB]);
  });

  it('pages', async () => {
    const page = await get('?limit=1&offset=1');
    expect(hotkeys(page.body)).toEqual([CHARLIE]);
    expect(page.body.total).toBe(3);
  });

  it('refuses an unknown sort or a non-boolean filter, naming the field', async () => {
    const sort = await get('?sort=uid');
    expect(sort.status).toBe(400);
    expect(sort.contentType).toContain('application/problem+json');
    expect(sort.body.errors.map((e: { field: string }) => e.field)).toEqual(['sort']);
    expect((await get('?permit=yes')).body.errors.map((e: { field: string }) => e.field)).toEqual(['permit']);
  });
});

describe('GET /api/v1/validators/:hotkey', () => {
  it('serves the neuron with its evaluations counted by status', async () => {
    const alice = await get(`/${ALICE}`);
    expect(alice.status).toBe(200);
    expect(alice.body).toEqual({
      hotkey: ALICE,
      netuid: 2,
      uid: 0,
      stake: '1000',
      validatorPermit: true,
      active: true,
      lastSeenBlock: 200,
      consensusEntries: 0,
      outlierEntries: 0,
      agreement: null,
      agreementSequence: null,
      lastSequence: expect.any(Number),
      evaluations: { RUNNING: 1, COMPLETED: 1, FAILED: 1 },
    });
    expect((await get(`/${BOB}`)).body.evaluations).toEqual({ STARTING: 1 });
    expect((await get(`/${CHARLIE}`)).body.evaluations).toEqual({});
  });

  it('is 404 for a hotkey no snapshot listed, 400 for one that is not SS58', async () => {
    const missing = await get(`/${DAVE}`);
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
    const bad = await get('/not-a-hotkey');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['hotkey']);
  });
});
