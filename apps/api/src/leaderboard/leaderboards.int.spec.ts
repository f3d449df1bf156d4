import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstream } from '@nats-io/jetstream';
import { newEvent } from '#contracts';
import { eventually } from '#testing';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { competitionBody } from '../testing/fixtures.js';
import { request } from '../testing/http-client.js';
import { ALICE, BOB, CHARLIE, claim, complete, DAVE, EVE, seeder, start } from '../testing/scenario.js';

let bed: ApiTestBed;
const ids: Record<string, string> = {};
const get = async (path: string) => {
  const response = await request(bed.baseUrl, 'GET', `/api/v1${path}`);
  expect(response.status).toBe(200);
  return response.body;
};
const names = (page: { items: { submissionId: string }[] }) => page.items.map((e) => Object.keys(ids).find((name) => ids[name] === e.submissionId));

/**
 * alpha (weight share 0.375) and beta (0.125) are active, gamma is not. Success rates, by hand:
 *   alpha: A1 (Alice) 0.8 from Eve; B1 (Bob) 0.4 from Eve and 0.4 from Dave
 *   beta:  A2 (Alice) 0.2 from Eve; B2 (Bob) 1.0 from Dave
 *   gamma: C (Charlie, block 90) 1.0 from Eve
 * Across active competitions: Alice 0.75·0.8 + 0.25·0.2 = 0.65, Bob 0.75·0.4 + 0.25·1.0 = 0.55; Charlie absent.
 */
beforeAll(async () => {
  bed = await startApiTestBed('api leaderboards');
  const admin = { headers: { 'x-api-key': bed.adminKey } };
  for (const [id, weightShare, active] of [
    ['alpha', 0.375, true],
    ['beta', 0.125, true],
    ['gamma', 0.5, false],
  ] as const) {
    expect((await request(bed.baseUrl, 'POST', '/api/v1/admin/competitions', { body: competitionBody(id, { weightShare }), ...admin })).status).toBe(202);
    if (active) expect((await request(bed.baseUrl, 'POST', `/api/v1/admin/competitions/${id}/activate`, admin)).status).toBe(202);
  }
  const seed = seeder(bed.store);
  const evaluated = async (name: string, competitionId: string, hotkey: string, block: number, benchmark: string, rates: [string, number][]) => {
    const submission = await seed.submission(competitionId, hotkey, block);
    ids[name] = submission;
    const job = await seed.job({ id: submission, competitionId, hotkey }, benchmark);
    for (const [validator, rate] of rates) await seed.evaluate(job, validator, claim(job, validator), start, complete(rate));
  };
  await evaluated('A1', 'alpha', ALICE, 100, 'control', [[EVE, 0.8]]);
  await evaluated('B1', 'alpha', BOB, 101, 'control', [
    [EVE, 0.4],
    [DAVE, 0.4],
  ]);
  await evaluated('A2', 'beta', ALICE, 102, 'other', [[EVE, 0.2]]);
  await evaluated('B2', 'beta', BOB, 103, 'other', [[DAVE, 1]]);
  await evaluated('C', 'gamma', CHARLIE, 90, 'control', [[EVE, 1]]);
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('the cross-competition leaderboard', () => {
  it('ranks miners by the share-weighted success rate over active competitions', async () => {
    const board = await get('/leaderboard');
    expect(board.total).toBe(2);
    expect(board.items.map((e: { rank: number; hotkey: string; score: number }) => [e.rank, e.hotkey, Number(e.score.toFixed(6))])).toEqual([
      [1, ALICE, 0.65],
      [2, BOB, 0.55],
    ]);
    expect(board.items[1].competitions).toEqual([
      { competitionId: 'alpha', share: 0.75, rank: 2, successRate: 0.4, meanReward: 4 },
      { competitionId: 'beta', share: 0.25, rank: 1, successRate: 1, meanReward: 10 },
    ]);
    expect((await get('/leaderboard?offset=1&limit=1')).items.map((e: { hotkey: string }) => e.hotkey)).toEqual([BOB]);
  });
});

describe('the submission leaderboard', () => {
  it('sorts by success rate (ties to the lower block) and filters by competition, miner, benchmark and validator', async () => {
    const all = await get('/leaderboard/submissions');
    expect(all.total).toBe(5);
    expect(names(all)).toEqual(['C', 'B2', 'A1', 'B1', 'A2']);
    expect(all.items[3]).toMatchObject({
      rank: 4,
      results: 2,
      validators: 2,
      episodes: 4,
      successRate: 0.4,
      meanReward: 4,
      score: null,
      competitionId: 'alpha',
      hotkey: BOB,
    });
    expect(names(await get('/leaderboard/submissions?competition=alpha'))).toEqual(['A1', 'B1']);
    expect(names(await get('/leaderboard/submissions?benchmark=other'))).toEqual(['B2', 'A2']);
    expect(names(await get(`/leaderboard/submissions?miner=${ALICE}&sort=meanReward&order=asc`))).toEqual(['A2', 'A1']);
    const byDave = await get(`/leaderboard/submissions?validator=${DAVE}`);
    expect(byDave.items.map((e: { submissionId: string; results: number; successRate: number }) => [e.submissionId, e.results, e.successRate])).toEqual([
      [ids.B2, 1, 1],
      [ids.B1, 1, 0.4],
    ]);
  });

  it('keeps submissions with at least minResults results, and pages with the total', async () => {
    expect(names(await get('/leaderboard/submissions?minResults=2'))).toEqual(['B1']);
    const page = await get('/leaderboard/submissions?limit=2&offset=2');
    expect([page.total, names(page), page.items[0].rank]).toEqual([5, ['A1', 'B1'], 3]);
    const beyond = await get('/leaderboard/submissions?offset=10');
    expect([beyond.total, beyond.items]).toEqual([5, []]);
  });

  it('sorts by the latest score when there is one; unscored submissions last', async () => {
    const scores = [
      { uid: 1, hotkey: ALICE, competitionId: 'beta', score: 0.9, submissionId: ids.A2! },
      { uid: 1, hotkey: ALICE, competitionId: 'alpha', score: 0.1, submissionId: ids.A1! },
    ];
    await bed.store.append(
      'weights',
      `7:${EVE}`,
      [newEvent('ScoresComputed', { netuid: 7, validator: EVE, upToSequence: 1, scores, weights: [{ uid: 1, weight: 1 }] })],
      { expected: 'any' },
    );
    await bed.project();
    const board = await get('/leaderboard/submissions?sort=score');
    expect(names(board)).toEqual(['A2', 'A1', 'C', 'B1', 'B2']);
    expect(board.items.map((e: { score: number | null }) => e.score)).toEqual([0.9, 0.1, null, null, null]);
  });

  it('refuses an unknown sort and a minResults of 0, naming the field', async () => {
    for (const [query, field] of [
      ['sort=rank', 'sort'],
      ['minResults=0', 'minResults'],
      ['benchmark=-x', 'benchmark'],
    ]) {
      const response = await request(bed.baseUrl, 'GET', `/api/v1/leaderboard/submissions?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});

describe('stats', () => {
  it('give competition shares, connected validators and the last seen block', async () => {
    const before = await get('/stats');
    expect(before.competitionShares).toEqual([
      { competitionId: 'alpha', weightShare: 0.375, share: 0.75 },
      { competitionId: 'beta', weightShare: 0.125, share: 0.25 },
    ]);
    // The seeder's permit snapshots: block n for its n-th validator (two validators here).
    expect(before.lastSeenBlock).toBe(2);
    expect(before.validators).toMatchObject({ connected: 0, connectedHotkeys: [] });

    await bed.store.append(
      'metagraph',
      '7',
      [
        newEvent('MetagraphSynced', {
          netuid: 7,
          block: 4321,
          blockHash: `0x${'ab'.repeat(32)}`,
          neurons: [{ uid: 0, hotkey: EVE, coldkey: DAVE, stake: '1', validatorPermit: true, active: true }],
        }),
      ],
      { expected: 'any' },
    );
    await bed.project();
    // A validator's durable consumer that is pulling counts as connected; one that is not (Dave's) does not.
    const durable = (hotkey: string) => ({
      durable_name: `validator-${hotkey}`,
      ack_policy: 'explicit' as const,
      filter_subject: bed.topology.allEventsSubject,
    });
    await bed.nats.jsm.consumers.add(bed.topology.eventsStream, durable(EVE));
    await bed.nats.jsm.consumers.add(bed.topology.eventsStream, durable(DAVE));
    const consumer = await jetstream(bed.nats.nc).consumers.get(bed.topology.eventsStream, `validator-${EVE}`);
    const messages = await consumer.consume({ max_messages: 10, expires: 30_000 });
    void (async () => {
      for await (const message of messages) message.ack();
    })();
    try {
      const after = await eventually('Eve connected', async () => {
        const stats = await get('/stats');
        return stats.validators.connected === 1 ? stats : undefined;
      });
      expect(after.validators.connectedHotkeys).toEqual([EVE]);
      expect(after.lastSeenBlock).toBe(4321);
    } finally {
      messages.stop();
    }
  });
});
