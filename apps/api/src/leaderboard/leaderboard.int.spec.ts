import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, BOB, CHARLIE, claim, complete, EVE, seeder, start } from '../testing/scenario.js';

let bed: ApiTestBed;
const board = async () => {
  const response = await request(bed.baseUrl, 'GET', '/api/v1/competitions/arena/leaderboard');
  expect(response.status).toBe(200);
  return {
    total: response.body.total,
    ranked: response.body.items.map((e: { rank: number; hotkey: string; successRate: number }) => [e.rank, e.hotkey, e.successRate]),
  };
};

beforeAll(async () => {
  bed = await startApiTestBed('leaderboard versions');
  await seeder(bed.store).competition('arena');
});
afterAll(async () => {
  await bed?.dispose();
});

describe('the leaderboard, ranked once per read-model version', () => {
  it('reflects every result projected since the last request', async () => {
    const seed = seeder(bed.store);
    const evaluated = async (hotkey: string, block: number, score: number) => {
      const submission = await seed.submission('arena', hotkey, block);
      const job = await seed.job({ id: submission, competitionId: 'arena', hotkey }, 'control');
      await seed.evaluate(job, EVE, claim(job, EVE), start, complete(score));
      await bed.project();
    };
    await bed.project();
    expect(await board()).toEqual({ total: 0, ranked: [] });
    await evaluated(ALICE, 100, 0.4);
    expect(await board()).toEqual({ total: 1, ranked: [[1, ALICE, 0.4]] });
    await evaluated(BOB, 90, 0.9);
    await evaluated(CHARLIE, 80, 0.4);
    // Charlie ties Alice and committed at an earlier block.
    const concurrent = await Promise.all([board(), board(), board()]);
    expect(concurrent).toEqual(
      Array(3).fill({
        total: 3,
        ranked: [
          [1, BOB, 0.9],
          [2, CHARLIE, 0.4],
          [3, ALICE, 0.4],
        ],
      }),
    );
  });
});
