import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, BOB, CHARLIE, claim, complete, DAVE, fail, seeder, start } from '../testing/scenario.js';

let bed: ApiTestBed;
const get = (query: string) => request(bed.baseUrl, 'GET', `/api/v1/job-status${query}`);
const pairs = (page: { items: { jobId: string; validator: string }[] }) => page.items.map((r) => `${r.jobId}|${r.validator}`);
let j1: string, j2: string, j3: string;

/**
 * mt10: Alice's jobs j1, j2; mt20: Bob's job j3. Validators, in this order (each change a few ms after the last):
 * Charlie completes j1; Dave starts j1 and records one episode of it; Charlie fails j2; Dave claims j3.
 */
beforeAll(async () => {
  bed = await startApiTestBed('api job status');
  const seed = seeder(bed.store);
  await seed.competition('mt10');
  await seed.competition('mt20');
  const alice = await seed.submission('mt10', ALICE, 10);
  const bob = await seed.submission('mt20', BOB, 11);
  j1 = await seed.job({ id: alice, competitionId: 'mt10', hotkey: ALICE }, 'control');
  j2 = await seed.job({ id: alice, competitionId: 'mt10', hotkey: ALICE }, 'control');
  j3 = await seed.job({ id: bob, competitionId: 'mt20', hotkey: BOB }, 'control');
  await seed.evaluate(j1, CHARLIE, claim(j1, CHARLIE), start, complete(0.5));
  await sleep(5);
  await seed.evaluate(j1, DAVE, claim(j1, DAVE), start);
  await seed.episode(j1, DAVE, 'reach-v3', true);
  await sleep(5);
  await seed.evaluate(j2, CHARLIE, claim(j2, CHARLIE), start, fail);
  await sleep(5);
  await seed.evaluate(j3, DAVE, claim(j3, DAVE));
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('GET /api/v1/job-status', () => {
  it('lists every evaluation, the latest status change first, with its progress, competition and miner', async () => {
    const page = await get('');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(pairs(page.body)).toEqual([`${j3}|${DAVE}`, `${j2}|${CHARLIE}`, `${j1}|${DAVE}`, `${j1}|${CHARLIE}`]);
    const [claimed, failed, running, completed] = page.body.items;
    expect(claimed).toMatchObject({ status: 'STARTING', competitionId: 'mt20', miner: BOB, evaluator: null, startedAt: null, episodesDone: 0 });
    expect(failed).toMatchObject({
      status: 'FAILED',
      competitionId: 'mt10',
      miner: ALICE,
      reason: 'agent_crashed',
      fault: 'miner',
      detail: 'exit code 1',
      finishedAt: expect.any(String),
    });
    expect(running).toMatchObject({
      status: 'RUNNING',
      evaluator: 'evaluator-1',
      episodesDone: 1,
      episodesFailed: 0,
      startedAt: expect.any(String),
      finishedAt: null,
    });
    expect(completed).toMatchObject({ status: 'COMPLETED', competitionId: 'mt10', miner: ALICE, finishedAt: expect.any(String) });
    expect(Object.keys(running).sort()).toEqual(
      [
        'competitionId',
        'detail',
        'episodesDone',
        'episodesFailed',
        'evaluationId',
        'evaluator',
        'failedEpisodeId',
        'fault',
        'finishedAt',
        'jobId',
        'lastSequence',
        'miner',
        'plannedEpisodes',
        'reason',
        'startedAt',
        'status',
        'stderrTail',
        'updatedAt',
        'validator',
        'verdict',
      ].sort(),
    );
  });

  it('filters by job, validator, status, competition and miner, alone and together', async () => {
    expect(pairs((await get(`?job=${j1}`)).body)).toEqual([`${j1}|${DAVE}`, `${j1}|${CHARLIE}`]);
    expect(pairs((await get(`?validator=${CHARLIE}`)).body)).toEqual([`${j2}|${CHARLIE}`, `${j1}|${CHARLIE}`]);
    expect(pairs((await get('?status=RUNNING')).body)).toEqual([`${j1}|${DAVE}`]);
    expect(pairs((await get('?competition=mt20')).body)).toEqual([`${j3}|${DAVE}`]);
    expect(pairs((await get(`?miner=${ALICE}`)).body)).toEqual([`${j2}|${CHARLIE}`, `${j1}|${DAVE}`, `${j1}|${CHARLIE}`]);
    expect(pairs((await get(`?miner=${ALICE}&validator=${DAVE}`)).body)).toEqual([`${j1}|${DAVE}`]);
    const none = await get(`?competition=mt20&status=COMPLETED`);
    expect(none.body).toMatchObject({ items: [], total: 0 });
  });

  it('pages with the total of every matching row', async () => {
    const page = await get('?limit=2&offset=1');
    expect(pairs(page.body)).toEqual([`${j2}|${CHARLIE}`, `${j1}|${DAVE}`]);
    expect(page.body.total).toBe(4);
  });

  it('refuses QUEUED (no row has it) and malformed filters, naming the field', async () => {
    for (const [query, field] of [
      ['?status=QUEUED', 'status'],
      ['?job=nope', 'job'],
      ['?miner=x', 'miner'],
      ['?competition=UPPER', 'competition'],
      ['?limit=201', 'limit'],
    ]) {
      const refused = await get(query!);
      expect([query, refused.status, refused.contentType]).toEqual([query, 400, expect.stringContaining('application/problem+json')]);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});
