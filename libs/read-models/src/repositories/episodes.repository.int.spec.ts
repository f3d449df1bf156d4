import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { EpisodeEntity, JobEntity, StepEntity } from '../entities/index.js';
import { episodeRow, jobRow, openRowBed, uuidOf as uuid } from '../testing/rows.js';
import { EpisodesRepository } from './episodes.repository.js';
import { NotFound } from './not-found.js';
import { StepsRepository, type StepFilter } from './steps.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let db: DataSource;
let episodes: EpisodesRepository;
let steps: StepsRepository;

const SUB_A = uuid(90);
const SUB_B = uuid(91);
const JOB_A = uuid(80);
const JOB_B = uuid(81);
const EVAL_A1 = uuid(70);
const EVAL_A2 = uuid(71);
const EVAL_B1 = uuid(72);

/** Episode n, recorded at minute `minute`; E1 and E2 share a minute, so id breaks their tie. */
const episode = (n: number, jobId: string, evaluationId: string, validator: string, task: string, success: boolean, minute: number) =>
  episodeRow(uuid(n), { evaluationId, jobId, validator, task, success, seed: n, recordedAt: new Date(`2026-01-01T01:0${minute}:00Z`), lastSequence: 10 + n });

const step = (episodeN: number, n: number, success: boolean) => ({
  episodeId: uuid(episodeN),
  step: n,
  reward: n / 2,
  success,
  action: [n],
  terminated: null,
  truncated: null,
  info: null,
});

beforeAll(async () => {
  bed = await openRowBed('episodes repository');
  db = bed.db;
  await db.getRepository(JobEntity).insert([jobRow(JOB_A, { submissionId: SUB_A }), jobRow(JOB_B, { submissionId: SUB_B })]);
  await db
    .getRepository(EpisodeEntity)
    .insert([
      episode(1, JOB_A, EVAL_A1, 'v1', 'reach-v3', true, 1),
      episode(2, JOB_A, EVAL_A2, 'v2', 'push-v3', false, 1),
      episode(3, JOB_B, EVAL_B1, 'v1', 'reach-v3', false, 3),
    ]);
  // Inserted out of order: the list must order them, not the heap.
  await db.getRepository(StepEntity).insert([step(3, 1, false), step(1, 1, true), step(2, 0, false), step(1, 0, false), step(3, 0, false)]);
  episodes = new EpisodesRepository(db);
  steps = new StepsRepository(db);
});

afterAll(async () => {
  await bed?.dispose();
});

const all = { limit: 50, offset: 0 };

describe('EpisodesRepository', () => {
  it('lists the latest recorded first, ties by id, with the total', async () => {
    const page = await episodes.list({}, all);
    expect(page.items.map((e) => e.id)).toEqual([uuid(3), uuid(1), uuid(2)]);
    expect(page).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(page.items[0]).toMatchObject({ seed: 3, lastSequence: 13, recordedAt: new Date('2026-01-01T01:03:00Z') });
  });

  it('filters by submission (through its jobs), job, evaluation, validator, task and success', async () => {
    const ids = async (filter: Parameters<EpisodesRepository['list']>[0]) => (await episodes.list(filter, all)).items.map((e) => e.id);
    expect(await ids({ submissionId: SUB_A })).toEqual([uuid(1), uuid(2)]);
    expect(await ids({ jobId: JOB_B })).toEqual([uuid(3)]);
    expect(await ids({ evaluationId: EVAL_A2 })).toEqual([uuid(2)]);
    expect(await ids({ validator: 'v1' })).toEqual([uuid(3), uuid(1)]);
    expect(await ids({ task: 'reach-v3', success: false })).toEqual([uuid(3)]);
    expect(await ids({ submissionId: SUB_B, success: true })).toEqual([]);
  });

  it('pages, the total ignoring the page', async () => {
    const page = await episodes.list({}, { limit: 1, offset: 1 });
    expect(page.items.map((e) => e.id)).toEqual([uuid(1)]);
    expect(page.total).toBe(3);
  });

  it('maps each episode of some evaluations to its trajectory key', async () => {
    await db.getRepository(EpisodeEntity).update({ id: uuid(1) }, { trajectoryKey: 'trajectories/1.jsonl' });
    expect(await episodes.trajectoryKeys([EVAL_A1, EVAL_A2])).toEqual(
      new Map([
        [uuid(1), 'trajectories/1.jsonl'],
        [uuid(2), null],
      ]),
    );
    expect(await episodes.trajectoryKeys([])).toEqual(new Map());
  });

  it('answers an unknown episode with NotFound', async () => {
    expect((await episodes.get(uuid(2))).task).toBe('push-v3');
    await expect(episodes.get(uuid(9))).rejects.toEqual(new NotFound('episode', uuid(9)));
  });
});

describe('StepsRepository', () => {
  const keys = async (filter: StepFilter, page = all) => (await steps.list(filter, page)).items.map((s) => `${s.episodeId.slice(-1)}#${s.step}`);

  it('lists by episode then step', async () => {
    expect(await keys({})).toEqual(['1#0', '1#1', '2#0', '3#0', '3#1']);
    expect((await steps.list({ episodeId: uuid(1) }, all)).items).toEqual([
      { episodeId: uuid(1), step: 0, reward: 0, success: false, action: [0], terminated: null, truncated: null, info: null },
      { episodeId: uuid(1), step: 1, reward: 0.5, success: true, action: [1], terminated: null, truncated: null, info: null },
    ]);
  });

  it('filters through the episodes (evaluation, job, task) and by success, together', async () => {
    expect(await keys({ evaluationId: EVAL_A2 })).toEqual(['2#0']);
    expect(await keys({ jobId: JOB_A })).toEqual(['1#0', '1#1', '2#0']);
    expect(await keys({ task: 'reach-v3' })).toEqual(['1#0', '1#1', '3#0', '3#1']);
    expect(await keys({ task: 'reach-v3', success: true })).toEqual(['1#1']);
    expect(await keys({ episodeId: uuid(1), jobId: JOB_B })).toEqual([]);
  });

  it('pages with the total of every match', async () => {
    const page = await steps.list({}, { limit: 2, offset: 2 });
    expect(page.items.map((s) => `${s.episodeId.slice(-1)}#${s.step}`)).toEqual(['2#0', '3#0']);
    expect(page.total).toBe(5);
  });
});
