import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { dropSchemas, testNamespace, testServices } from '#testing';
import type { DataSource } from 'typeorm';
import { openReadModels } from '../data-source.js';
import { JobEntity, JobStatusEntity, JobStatusHistoryEntity } from '../entities/index.js';
import { JobsRepository, type JobFilter } from './jobs.repository.js';
import { NotFound } from './not-found.js';

jest.setTimeout(30_000);

const schema = testNamespace('jobs repository');
let databaseUrl: string;
let db: DataSource;
let jobs: JobsRepository;

// Five jobs one minute apart, J1 oldest; the last two share a created_at, so id breaks the tie.
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const TIE = '2026-01-01T00:04:00.123456Z';
const job = (n: number) => ({
  id: id(n),
  submissionId: id(n),
  competitionId: n % 2 ? 'mt10' : 'mt50',
  hotkey: 'miner',
  repo: 'miner/agent',
  revision: 'abc1234',
  benchmarkName: 'mt10',
  benchmark: { name: 'mt10', provider: 'metaworld' as const, tasks: ['reach-v3'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 60, seeds: [1] },
  deadline: new Date('2026-01-02T00:00:00Z'),
  rerunOf: null,
  cancelled: false,
  cancelReason: null,
  createdAt: new Date(`2026-01-01T00:0${n}:00Z`),
  lastSequence: n,
});

beforeAll(async () => {
  databaseUrl = (await testServices()).databaseUrl;
  db = await openReadModels({ url: databaseUrl, schema });
  await db.getRepository(JobEntity).insert([1, 2, 3, 4, 5].map(job));
  // Set in SQL: a Date would drop the microseconds the keyset must keep.
  await db.query(`UPDATE "${schema}".jobs SET created_at = $1 WHERE id = ANY($2::uuid[])`, [TIE, [id(4), id(5)]]);
  await db.getRepository(JobStatusEntity).insert([
    { jobId: id(1), validator: 'v1', status: 'COMPLETED', updatedAt: new Date(), lastSequence: 10 },
    { jobId: id(2), validator: 'v2', status: 'RUNNING', updatedAt: new Date(), lastSequence: 11 },
  ]);
  jobs = new JobsRepository(db);
});

afterAll(async () => {
  await db?.destroy();
  if (databaseUrl) await dropSchemas(databaseUrl, schema);
});

const ids = async (filter: JobFilter, limit = 10) => (await jobs.list(filter, { limit, offset: 0, exactTotalLimit: 1000 })).items.map((j) => j.id);

describe('JobsRepository', () => {
  it('lists newest first, ties by id descending, and filters by competition', async () => {
    expect(await ids({})).toEqual([id(5), id(4), id(3), id(2), id(1)]);
    expect(await ids({ competitionId: 'mt50' })).toEqual([id(4), id(2)]);
  });

  it('reads QUEUED as "no status row" (for anyone, or for the given validator) and other statuses as a row', async () => {
    expect(await ids({ status: 'QUEUED' })).toEqual([id(5), id(4), id(3)]);
    expect(await ids({ status: 'QUEUED', validator: 'v1' })).toEqual([id(5), id(4), id(3), id(2)]);
    expect(await ids({ status: 'RUNNING' })).toEqual([id(2)]);
    expect(await ids({ validator: 'v1' })).toEqual([id(1)]);
  });

  it('walks pages by key without losing the microseconds of a tie', async () => {
    const first = await jobs.list({}, { limit: 1, offset: 0, exactTotalLimit: 1000 });
    expect(first).toMatchObject({ total: 5, totalIsEstimate: false, items: [{ id: id(5) }] });
    expect(first.nextKey).toEqual({ createdAtMicros: 1767225840123456n, id: id(5) });
    const rest = await jobs.list({}, { limit: 10, offset: 0, after: first.nextKey!, exactTotalLimit: 1000 });
    expect(rest.items.map((j) => j.id)).toEqual([id(4), id(3), id(2), id(1)]);
    expect(rest.nextKey).toBeNull();
  });

  it('estimates the total past the exact limit, never below what it counted', async () => {
    const page = await jobs.list({}, { limit: 1, offset: 0, exactTotalLimit: 2 });
    expect(page.totalIsEstimate).toBe(true);
    expect(page.total).toBeGreaterThanOrEqual(3);
  });

  it('answers an unknown job with NotFound (get) or null (find)', async () => {
    await expect(jobs.get(id(9))).rejects.toEqual(new NotFound('job', id(9)));
    expect(await jobs.find(id(9))).toBeNull();
    expect((await jobs.find(id(2)))?.competitionId).toBe('mt50');
  });

  it('reads the status changes of some jobs in stream order', async () => {
    const change = (streamSequence: number, jobId: string, status: 'RUNNING' | 'COMPLETED') => ({
      streamSequence,
      jobId,
      validator: 'v1',
      evaluationId: null,
      status,
      reason: null,
      fault: null,
      at: new Date(),
    });
    await db
      .getRepository(JobStatusHistoryEntity)
      .insert([change(30, id(1), 'COMPLETED'), change(20, id(2), 'RUNNING'), change(10, id(1), 'RUNNING'), change(40, id(3), 'RUNNING')]);
    expect((await jobs.historyOf([id(1), id(2)])).map((h) => [h.streamSequence, h.jobId, h.status])).toEqual([
      [10, id(1), 'RUNNING'],
      [20, id(2), 'RUNNING'],
      [30, id(1), 'COMPLETED'],
    ]);
    expect(await jobs.historyOf([])).toEqual([]);
  });

  it("reads a submission's jobs oldest first", async () => {
    await db.getRepository(JobEntity).insert([{ ...job(6), submissionId: id(1), createdAt: new Date('2026-01-01T00:00:30Z') }]);
    try {
      expect((await jobs.ofSubmission(id(1))).map((j) => j.id)).toEqual([id(6), id(1)]);
      expect(await jobs.ofSubmission(id(9))).toEqual([]);
    } finally {
      await db.getRepository(JobEntity).delete({ id: id(6) });
    }
  });
});
