import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { evaluationIdFor } from '#domain';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, BOB, CHARLIE, claim, complete, DAVE, EVE, fail, FERDIE, seeder, start } from '../testing/scenario.js';

let bed: ApiTestBed;
const get = async (path: string) => {
  const response = await request(bed.baseUrl, 'GET', `/api/v1${path}`);
  expect(response.status).toBe(200);
  return response.body;
};
const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id).sort();

/** arena: Alice (block 100) and Bob (block 90) tie at 0.7 across two validators; Charlie scores 0.9 with one; Dave was rejected. */
const world = {} as Record<'s1' | 's2' | 's3' | 's4' | 'j1' | 'j2' | 'j3' | 'j4' | 'e1' | 'e2', string>;

beforeAll(async () => {
  bed = await startApiTestBed('api read models');
  const seed = seeder(bed.store);
  await seed.competition('arena');
  world.s1 = await seed.submission('arena', ALICE, 100);
  world.s2 = await seed.submission('arena', BOB, 90);
  world.s3 = await seed.submission('arena', CHARLIE, 110);
  world.s4 = await seed.submission('arena', DAVE, 95, 'too_large');
  world.j1 = await seed.job({ id: world.s1, competitionId: 'arena', hotkey: ALICE }, 'control');
  world.j2 = await seed.job({ id: world.s2, competitionId: 'arena', hotkey: BOB }, 'control');
  world.j3 = await seed.job({ id: world.s3, competitionId: 'arena', hotkey: CHARLIE }, 'control');
  world.j4 = await seed.job({ id: world.s1, competitionId: 'arena', hotkey: ALICE }, 'second');
  await seed.evaluate(world.j1, EVE, claim(world.j1, EVE), start, complete(0.8));
  await seed.evaluate(world.j1, FERDIE, claim(world.j1, FERDIE), start, complete(0.6));
  await seed.evaluate(world.j2, EVE, claim(world.j2, EVE), start, complete(0.7));
  await seed.evaluate(world.j2, FERDIE, claim(world.j2, FERDIE), start, complete(0.7));
  await seed.evaluate(world.j3, EVE, claim(world.j3, EVE), start, complete(0.9));
  await seed.evaluate(world.j3, FERDIE, claim(world.j3, FERDIE), start, fail);
  await seed.evaluate(world.j4, EVE, claim(world.j4, EVE));
  world.e1 = await seed.episode(world.j1, EVE, 'reach-v3', true);
  world.e2 = await seed.episode(world.j1, EVE, 'push-v3', false);
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('submissions', () => {
  it('lists a competition’s submissions and filters by miner and status', async () => {
    expect(await get('/submissions?competition=arena')).toMatchObject({ total: 4 });
    expect(ids(await get('/submissions?status=rejected'))).toEqual([world.s4]);
    expect(ids(await get(`/submissions?miner=${ALICE}`))).toEqual([world.s1]);
    expect(await get(`/submissions/${world.s4}`)).toMatchObject({ status: 'rejected', rejectionReason: 'too_large', hotkey: DAVE });
  });

  it('derives where a submission’s evaluation stands from its jobs', async () => {
    expect((await get(`/submissions/${world.s1}`)).evaluation).toEqual({
      state: 'running',
      jobs: 2,
      reruns: 0,
      cancelledJobs: 0,
      statuses: { COMPLETED: 2, STARTING: 1 },
    });
    expect((await get(`/submissions/${world.s2}`)).evaluation).toMatchObject({ state: 'finished', jobs: 1 });
    expect((await get(`/submissions/${world.s4}`)).evaluation).toMatchObject({ state: 'none', jobs: 0 });
  });
});

describe('jobs', () => {
  it('filters by competition, submission and miner', async () => {
    expect((await get('/jobs?competition=arena')).total).toBe(4);
    expect(ids(await get(`/jobs?submission=${world.s1}`))).toEqual([world.j1, world.j4].sort());
    expect(ids(await get(`/jobs?miner=${BOB}`))).toEqual([world.j2]);
  });

  it('filters by status, per validator or for anyone; QUEUED means not claimed', async () => {
    expect(ids(await get('/jobs?status=FAILED'))).toEqual([world.j3]);
    expect(ids(await get(`/jobs?status=COMPLETED&validator=${FERDIE}`))).toEqual([world.j1, world.j2].sort());
    expect(ids(await get(`/jobs?status=QUEUED&validator=${FERDIE}`))).toEqual([world.j4]);
    expect(ids(await get('/jobs?status=STARTING'))).toEqual([world.j4]);
    expect(ids(await get(`/jobs?validator=${FERDIE}`))).toEqual([world.j1, world.j2, world.j3].sort());
  });

  it('serves a job with its frozen benchmark', async () => {
    const job = await get(`/jobs/${world.j1}`);
    expect(job).toMatchObject({ id: world.j1, submissionId: world.s1, hotkey: ALICE, benchmarkName: 'control' });
    expect(job.benchmark.seeds).toHaveLength(2);
  });

  it('serves the status per validator and the history in stream order', async () => {
    const status = await get(`/jobs/${world.j3}/status`);
    expect(status.items.map((s: { validator: string; status: string; fault: string | null }) => [s.validator, s.status, s.fault])).toEqual(
      [
        [EVE, 'COMPLETED', null],
        [FERDIE, 'FAILED', 'miner'],
      ].sort(),
    );
    const history = await get(`/jobs/${world.j3}/history?validator=${FERDIE}`);
    expect(history.items.map((h: { status: string }) => h.status)).toEqual(['STARTING', 'RUNNING', 'FAILED']);
    const sequences = history.items.map((h: { streamSequence: number }) => h.streamSequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it('answers 404 for an unknown job and 400 for an id that is not a uuid', async () => {
    expect((await request(bed.baseUrl, 'GET', '/api/v1/jobs/00000000-0000-4000-8000-000000000000/status')).status).toBe(404);
    expect((await request(bed.baseUrl, 'GET', '/api/v1/jobs/not-a-uuid')).status).toBe(400);
  });
});

describe('results', () => {
  it('filters by competition, miner, validator and job', async () => {
    expect((await get('/results?competition=arena')).total).toBe(5);
    expect((await get(`/results?validator=${FERDIE}`)).total).toBe(2);
    expect((await get(`/results?miner=${CHARLIE}`)).items).toEqual([expect.objectContaining({ successRate: 0.9, validator: EVE })]);
    const ofJob = await get(`/results?job=${world.j1}`);
    expect(ofJob.items.map((r: { evaluationId: string }) => r.evaluationId).sort()).toEqual(
      [evaluationIdFor(world.j1, EVE), evaluationIdFor(world.j1, FERDIE)].sort(),
    );
  });
});

describe('episodes', () => {
  it('filters by job, validator, task and success, and serves the steps in order', async () => {
    expect(ids(await get(`/episodes?job=${world.j1}&validator=${EVE}`))).toEqual([world.e1, world.e2].sort());
    expect(ids(await get(`/episodes?job=${world.j1}&success=true`))).toEqual([world.e1]);
    expect(ids(await get('/episodes?task=push-v3'))).toEqual([world.e2]);
    const steps = await get(`/episodes/${world.e1}/steps?limit=2`);
    expect(steps).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(steps.items.map((s: { step: number; action: number[] }) => [s.step, s.action])).toEqual([
      [0, [0, 0]],
      [1, [1, 2]],
    ]);
  });
});

describe('leaderboard and stats', () => {
  it('ranks miners by mean success rate across validators, ties to the earliest submission', async () => {
    const board = await get('/competitions/arena/leaderboard');
    expect(board.total).toBe(3);
    expect(board.items.map((e: { rank: number; hotkey: string; validators: number }) => [e.rank, e.hotkey, e.validators])).toEqual([
      [1, CHARLIE, 1],
      [2, BOB, 2],
      [3, ALICE, 2],
    ]);
    expect(board.items[1].successRate).toBeCloseTo(0.7);
    expect(board.items[2]).toMatchObject({ firstSubmissionId: world.s1, firstBlock: 100 });
    expect((await get('/competitions/arena/leaderboard?offset=2')).items.map((e: { hotkey: string }) => e.hotkey)).toEqual([ALICE]);
  });

  it('counts what the read models hold', async () => {
    expect(await get('/stats')).toMatchObject({
      competitions: { total: 1, active: 1 },
      submissions: { accepted: 3, rejected: 1 },
      jobs: { total: 4, cancelled: 0 },
      jobStatus: { COMPLETED: 5, FAILED: 1, STARTING: 1 },
      results: 5,
      episodes: 2,
    });
  });
});
