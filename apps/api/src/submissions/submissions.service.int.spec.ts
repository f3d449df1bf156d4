import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { JobEntity, JobStatusEntity, JobsRepository, NotFound, openReadModels, SubmissionEntity, SubmissionsRepository } from '#read-models';
import { dropSchemas, testNamespace, testServices } from '#testing';
import type { DataSource } from 'typeorm';
import { SubmissionsQuery } from '../submissions/submissions.query.js';
import { SubmissionsService } from './submissions.service.js';

// A medium test: the service over its repositories and a real Postgres schema of its own, without Nest or NATS.
jest.setTimeout(30_000);

const schema = testNamespace('submissions service');
let databaseUrl: string;
let db: DataSource;
let service: SubmissionsService;

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const JOB_A = '00000000-0000-4000-8000-0000000000a1';
const RERUN_A = '00000000-0000-4000-8000-0000000000a2';

const submission = (id: string, block: number, receivedAt: string, hotkey: string) => ({
  id,
  competitionId: 'mt10',
  hotkey,
  block,
  repo: 'miner/agent',
  revision: 'abc1234',
  status: 'accepted' as const,
  rejectionReason: null,
  rejectionDetail: null,
  repoBytes: 2048,
  commitmentEventId: id,
  receivedAt: new Date(receivedAt),
  decidedAt: null,
  lastSequence: block,
});

const job = (id: string, submissionId: string, rerunOf: string | null) => ({
  id,
  submissionId,
  competitionId: 'mt10',
  hotkey: 'miner-a',
  repo: 'miner/agent',
  revision: 'abc1234',
  benchmarkName: 'mt10',
  benchmark: { name: 'mt10', provider: 'metaworld' as const, tasks: ['reach-v3'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 60, seeds: [1] },
  deadline: new Date('2026-01-02T00:00:00Z'),
  rerunOf,
  cancelled: false,
  cancelReason: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  lastSequence: 10,
});

const status = (jobId: string, validator: string, value: 'COMPLETED' | 'RUNNING') => ({
  jobId,
  validator,
  status: value,
  updatedAt: new Date('2026-01-01T01:00:00Z'),
  lastSequence: 20,
});

const query = (fields: Partial<SubmissionsQuery>): SubmissionsQuery => Object.assign(new SubmissionsQuery(), fields);

beforeAll(async () => {
  databaseUrl = (await testServices()).databaseUrl;
  db = await openReadModels({ url: databaseUrl, schema });
  await db
    .getRepository(SubmissionEntity)
    .insert([
      submission(A, 100, '2026-01-01T00:00:00Z', 'miner-a'),
      submission(B, 300, '2026-01-01T00:01:00Z', 'miner-b'),
      submission(C, 200, '2026-01-01T00:02:00Z', 'miner-a'),
    ]);
  await db.getRepository(JobEntity).insert([job(JOB_A, A, null), job(RERUN_A, A, JOB_A)]);
  await db.getRepository(JobStatusEntity).insert([status(JOB_A, 'v1', 'COMPLETED'), status(JOB_A, 'v2', 'RUNNING'), status(RERUN_A, 'v1', 'COMPLETED')]);
  service = new SubmissionsService(new SubmissionsRepository(db), new JobsRepository(db));
});

afterAll(async () => {
  await db?.destroy();
  if (databaseUrl) await dropSchemas(databaseUrl, schema);
});

describe('SubmissionsService over Postgres', () => {
  it('derives each submission’s evaluation from its jobs and their validators’ statuses', async () => {
    const a = await service.get(A);
    expect(a).toMatchObject({ id: A, hotkey: 'miner-a', block: 100, repoBytes: 2048 });
    expect(a.evaluation).toEqual({ state: 'running', jobs: 2, reruns: 1, cancelledJobs: 0, statuses: { COMPLETED: 2, RUNNING: 1 } });
    expect((await service.get(B)).evaluation).toEqual({ state: 'none', jobs: 0, reruns: 0, cancelledJobs: 0, statuses: {} });
  });

  it('filters by miner and sorts by block or arrival, both directions', async () => {
    const ids = async (fields: Partial<SubmissionsQuery>) => (await service.list(query(fields))).items.map((s) => s.id);
    expect(await ids({})).toEqual([C, B, A]);
    expect(await ids({ sort: 'block', order: 'asc' })).toEqual([A, C, B]);
    expect(await ids({ miner: 'miner-a', sort: 'block' })).toEqual([C, A]);
    expect(await service.list(query({ limit: 1, offset: 1 }))).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ id: B }] });
  });

  it('answers an unknown id with NotFound naming the resource', async () => {
    const missing = '00000000-0000-4000-8000-0000000000ff';
    await expect(service.get(missing)).rejects.toEqual(new NotFound('submission', missing));
    await expect(service.get(missing)).rejects.toMatchObject({ code: 'not_found', message: `submission ${missing} not found` });
  });
});
