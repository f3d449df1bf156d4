import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EpisodeStateEntity, JobEntity, JobStatusEntity } from '../entities/index.js';
import { episodeStateRow, jobRow, jobStatusRow, openRowBed, uuidOf as uuid } from '../testing/rows.js';
import { EvaluationsRepository, type EvaluationFilter } from './evaluations.repository.js';
import { NotFound } from './not-found.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let evaluations: EvaluationsRepository;

const [J1, J2, J9] = [uuid(1), uuid(2), uuid(9)];
const [E1, E2, E3] = [uuid(11), uuid(12), uuid(13)];
const at = (time: string) => new Date(`2026-01-01T${time}:00Z`);

/** J1 (mt10, miner A) by v1 and v2; J2 (mt50, miner B) by v1; J9 claimed by v1 but not projected as a job. */
beforeAll(async () => {
  bed = await openRowBed('evaluations repository');
  await bed.db.getRepository(JobEntity).insert([jobRow(J1, { hotkey: 'A' }), jobRow(J2, { hotkey: 'B', competitionId: 'mt50' })]);
  await bed.db
    .getRepository(JobStatusEntity)
    .insert([
      jobStatusRow(J1, 'v1', { evaluationId: E1, status: 'COMPLETED', updatedAt: at('01:00') }),
      jobStatusRow(J1, 'v2', { evaluationId: E2, status: 'RUNNING', updatedAt: at('02:00') }),
      jobStatusRow(J2, 'v1', { evaluationId: E3, status: 'FAILED', updatedAt: at('02:00') }),
      jobStatusRow(J9, 'v1', { status: 'STARTING', updatedAt: at('00:30') }),
    ]);
  await bed.db
    .getRepository(EpisodeStateEntity)
    .insert([
      episodeStateRow(uuid(21), E1, { task: 'reach-v3', episodeIndex: 1, state: 'recorded' }),
      episodeStateRow(uuid(22), E1, { task: 'push-v3', episodeIndex: 0, state: 'recorded' }),
      episodeStateRow(uuid(23), E1, { task: 'reach-v3', episodeIndex: 0, state: 'failed' }),
      episodeStateRow(uuid(24), E2, { task: 'reach-v3', episodeIndex: 0, state: 'running' }),
    ]);
  evaluations = new EvaluationsRepository(bed.db);
});

afterAll(async () => {
  await bed?.dispose();
});

const pairs = async (filter: EvaluationFilter, page = { limit: 50, offset: 0 }) =>
  (await evaluations.list(filter, page)).items.map((r) => `${r.status.jobId.slice(-1)}/${r.status.validator}`);

describe('EvaluationsRepository', () => {
  it('lists across jobs, the latest change first, ties by job then validator, with the job’s competition and miner', async () => {
    const page = await evaluations.list({}, { limit: 50, offset: 0 });
    expect(page.items.map((r) => [`${r.status.jobId.slice(-1)}/${r.status.validator}`, r.competitionId, r.hotkey])).toEqual([
      ['1/v2', 'mt10', 'A'],
      ['2/v1', 'mt50', 'B'],
      ['1/v1', 'mt10', 'A'],
      ['9/v1', null, null],
    ]);
    expect(page.total).toBe(4);
    expect(page.items[0]!.status).toEqual(jobStatusRow(J1, 'v2', { evaluationId: E2, status: 'RUNNING', updatedAt: at('02:00') }));
  });

  it('filters by job, validator, status, and the job’s competition and miner; pages', async () => {
    expect(await pairs({ competitionId: 'mt10' })).toEqual(['1/v2', '1/v1']);
    expect(await pairs({ hotkey: 'B' })).toEqual(['2/v1']);
    expect(await pairs({ status: 'RUNNING' })).toEqual(['1/v2']);
    expect(await pairs({ jobId: J1, validator: 'v1' })).toEqual(['1/v1']);
    expect(await pairs({}, { limit: 1, offset: 1 })).toEqual(['2/v1']);
  });

  it('gets one evaluation, NotFound for an unknown one', async () => {
    expect(await evaluations.get(E2)).toMatchObject({ jobId: J1, validator: 'v2' });
    expect(await evaluations.find(uuid(99))).toBeNull();
    await expect(evaluations.get(uuid(99))).rejects.toEqual(new NotFound('evaluation', uuid(99)));
  });

  it('reads every evaluation of some jobs, by job then validator', async () => {
    expect((await evaluations.ofJobs([J2, J1])).map((s) => `${s.jobId.slice(-1)}/${s.validator}`)).toEqual(['1/v1', '1/v2', '2/v1']);
    expect(await evaluations.ofJobs([])).toEqual([]);
  });

  it('reads the episodes evaluations started, by task then index, optionally in one state', async () => {
    const keys = (rows: EpisodeStateEntity[]) => rows.map((e) => `${e.evaluationId.slice(-2)}:${e.task}#${e.episodeIndex}`);
    expect(keys(await evaluations.episodes([E1, E2]))).toEqual(['11:push-v3#0', '11:reach-v3#0', '12:reach-v3#0', '11:reach-v3#1']);
    expect(keys(await evaluations.episodes([E1, E2], 'running'))).toEqual(['12:reach-v3#0']);
    expect(await evaluations.episodes([])).toEqual([]);
  });
});
