import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { evaluationIdFor } from '#domain';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, CHARLIE, DAVE, seeder } from '../testing/scenario.js';

let bed: ApiTestBed;
const get = (query: string) => request(bed.baseUrl, 'GET', `/api/v1/steps${query}`);
const keys = (page: { items: { episodeId: string; step: number }[] }) => page.items.map((s) => `${s.episodeId}#${s.step}`);
/** Steps 0, 1, 2 of each episode (the seeder samples three), episodes in uuid order: the order the route promises. */
const stepsOf = (...episodes: string[]) => [...episodes].sort().flatMap((id) => [0, 1, 2].map((step) => `${id}#${step}`));
let j1: string, j2: string, e1: string, e2: string, e3: string;

/** e1: j1 by Charlie, reach, solved at step 2; e2: j1 by Dave, push, unsolved; e3: j2 by Charlie, reach, solved at step 2. */
beforeAll(async () => {
  bed = await startApiTestBed('api steps');
  const seed = seeder(bed.store);
  await seed.competition('mt10');
  const submission = await seed.submission('mt10', ALICE, 10);
  j1 = await seed.job({ id: submission, competitionId: 'mt10', hotkey: ALICE }, 'control');
  j2 = await seed.job({ id: submission, competitionId: 'mt10', hotkey: ALICE }, 'control');
  e1 = await seed.episode(j1, CHARLIE, 'reach-v3', true);
  e2 = await seed.episode(j1, DAVE, 'push-v3', false);
  e3 = await seed.episode(j2, CHARLIE, 'reach-v3', true);
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('GET /api/v1/steps', () => {
  it('lists every sampled step by episode then step', async () => {
    const page = await get('');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 9, limit: 50, offset: 0 });
    expect(keys(page.body)).toEqual(stepsOf(e1, e2, e3));
    const e1Steps = page.body.items.filter((s: { episodeId: string }) => s.episodeId === e1);
    expect(e1Steps).toEqual([
      { episodeId: e1, step: 0, reward: 0, success: false, action: [0, 0], terminated: null, truncated: null, info: null },
      { episodeId: e1, step: 1, reward: 0.5, success: false, action: [1, 2], terminated: null, truncated: null, info: null },
      { episodeId: e1, step: 2, reward: 1, success: true, action: [2, 4], terminated: null, truncated: null, info: null },
    ]);
  });

  it('filters by episode, evaluation, job, task and success, alone and together', async () => {
    expect(keys((await get(`?episode=${e2}`)).body)).toEqual(stepsOf(e2));
    expect(keys((await get(`?evaluation=${evaluationIdFor(j1, CHARLIE)}`)).body)).toEqual(stepsOf(e1));
    expect(keys((await get(`?job=${j1}`)).body)).toEqual(stepsOf(e1, e2));
    expect(keys((await get('?task=reach-v3')).body)).toEqual(stepsOf(e1, e3));
    expect(keys((await get('?success=true')).body)).toEqual([`${e1}#2`, `${e3}#2`].sort());
    expect((await get('?success=false')).body.total).toBe(7);
    expect(keys((await get(`?job=${j1}&task=push-v3`)).body)).toEqual(stepsOf(e2));
    expect(keys((await get(`?job=${j2}&success=true`)).body)).toEqual([`${e3}#2`]);
    expect((await get(`?episode=${e1}&job=${j2}`)).body).toMatchObject({ items: [], total: 0 });
  });

  it('pages, with a bounded page size', async () => {
    const page = await get('?limit=2&offset=3');
    expect(keys(page.body)).toEqual(stepsOf(e1, e2, e3).slice(3, 5));
    expect(page.body.total).toBe(9);
    const tooMany = await get('?limit=201');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((e: { field: string }) => e.field)).toEqual(['limit']);
  });

  it('refuses malformed filters with problem+json naming the field', async () => {
    for (const [query, field] of [
      ['?episode=nope', 'episode'],
      ['?success=yes', 'success'],
      ['?task=', 'task'],
      ['?evaluation=1', 'evaluation'],
    ]) {
      const refused = await get(query!);
      expect([query, refused.status, refused.contentType]).toEqual([query, 400, expect.stringContaining('application/problem+json')]);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});
