import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  CommitmentEntity,
  CompetitionEntity,
  EpisodeEntity,
  JobEntity,
  JobStatusEntity,
  ResultEntity,
  SubmissionEntity,
  ValidatorEntity,
} from '../entities/index.js';
import {
  commitmentRow,
  competitionRow,
  episodeRow,
  jobRow,
  jobStatusRow,
  openRowBed,
  resultRow,
  submissionRow,
  uuidOf as uuid,
  validatorRow,
} from '../testing/rows.js';
import { StatsRepository } from './stats.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let stats: StatsRepository;

beforeAll(async () => {
  bed = await openRowBed('stats repository');
  stats = new StatsRepository(bed.db);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('StatsRepository', () => {
  it('counts nothing, and knows no block, before any row', async () => {
    expect(await stats.counts()).toEqual({
      competitions: { total: 0, active: 0 },
      submissions: {},
      jobs: { total: 0, cancelled: 0 },
      jobStatus: {},
      results: 0,
      episodes: 0,
      validators: { total: 0, active: 0 },
      lastSeenBlock: null,
    });
  });

  it('counts each table, by status and flag, and the newest block of the metagraph or a commitment', async () => {
    const db = bed.db;
    await db
      .getRepository(CompetitionEntity)
      .insert([competitionRow('mt10'), competitionRow('mt50', { active: false }), competitionRow('x', { active: false })]);
    await db.getRepository(SubmissionEntity).insert([submissionRow(uuid(1)), submissionRow(uuid(2)), submissionRow(uuid(3), { status: 'rejected' })]);
    await db.getRepository(JobEntity).insert([jobRow(uuid(1)), jobRow(uuid(2), { cancelled: true, cancelReason: 'operator' })]);
    await db
      .getRepository(JobStatusEntity)
      .insert([jobStatusRow(uuid(1), 'v1', { status: 'COMPLETED' }), jobStatusRow(uuid(1), 'v2'), jobStatusRow(uuid(2), 'v1')]);
    await db.getRepository(ResultEntity).insert([resultRow(uuid(1))]);
    await db.getRepository(EpisodeEntity).insert([episodeRow(uuid(1)), episodeRow(uuid(2))]);
    await db.getRepository(ValidatorEntity).insert([validatorRow('v1', { lastSeenBlock: 500 }), validatorRow('v2', { active: false, lastSeenBlock: 400 })]);
    expect(await stats.counts()).toEqual({
      competitions: { total: 3, active: 1 },
      submissions: { accepted: 2, rejected: 1 },
      jobs: { total: 2, cancelled: 1 },
      jobStatus: { COMPLETED: 1, RUNNING: 2 },
      results: 1,
      episodes: 2,
      validators: { total: 2, active: 1 },
      lastSeenBlock: 500,
    });
    await db.getRepository(CommitmentEntity).insert([commitmentRow(9, { block: 700 })]);
    expect((await stats.counts()).lastSeenBlock).toBe(700);
  });
});
