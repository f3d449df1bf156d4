import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CompetitionEntity, EpisodeStateEntity, JobEntity, JobStatusEntity, ProjectorCheckpointEntity, SubmissionEntity } from '../entities/index.js';
import { CHECKPOINT_ID } from '../tables.js';
import { competitionRow, episodeStateRow, jobRow, jobStatusRow, openRowBed, submissionRow, uuidOf as uuid } from '../testing/rows.js';
import { SnapshotsRepository } from './snapshots.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let snapshots: SnapshotsRepository;

const SUB = uuid(1);
const [J1, J2] = [uuid(11), uuid(12)];
const E1 = uuid(21);

beforeAll(async () => {
  bed = await openRowBed('snapshots repository');
  const db = bed.db;
  await db.getRepository(CompetitionEntity).insert([competitionRow('mt10')]);
  await db.getRepository(SubmissionEntity).insert([submissionRow(SUB)]);
  await db
    .getRepository(JobEntity)
    .insert([
      jobRow(J2, { submissionId: SUB, createdAt: new Date('2026-01-01T00:05:00Z') }),
      jobRow(J1, { submissionId: SUB, createdAt: new Date('2026-01-01T00:01:00Z') }),
    ]);
  await db.getRepository(JobStatusEntity).insert([jobStatusRow(J1, 'v2'), jobStatusRow(J1, 'v1', { evaluationId: E1 })]);
  await db
    .getRepository(EpisodeStateEntity)
    .insert([
      episodeStateRow(uuid(31), E1, { jobId: J1, task: 'reach-v3', episodeIndex: 1 }),
      episodeStateRow(uuid(32), E1, { jobId: J1, task: 'push-v3', episodeIndex: 0 }),
    ]);
  snapshots = new SnapshotsRepository(db);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('SnapshotsRepository', () => {
  it('reads only the projected sequence when no key is given (0 before any batch)', async () => {
    expect(await snapshots.take({})).toEqual({ projectedSequence: 0 });
  });

  it('reads the rows each key names, ordered, with the checkpoint', async () => {
    await bed.db.getRepository(ProjectorCheckpointEntity).save({ id: CHECKPOINT_ID, lastSequence: 77, updatedAt: new Date() });
    const rows = await snapshots.take({ competitionId: 'mt10', submissionId: SUB, jobId: J1, evaluationId: E1 });
    expect(rows.projectedSequence).toBe(77);
    expect(rows.competition).toMatchObject({ id: 'mt10', active: true });
    expect(rows.submission).toMatchObject({ id: SUB, status: 'accepted' });
    expect(rows.jobs!.map((j) => j.id)).toEqual([J1, J2]);
    expect(rows.job).toMatchObject({ id: J1 });
    expect(rows.jobStatus!.map((s) => s.validator)).toEqual(['v1', 'v2']);
    expect(rows.evaluation).toMatchObject({ jobId: J1, validator: 'v1' });
    expect(rows.episodes!.map((e) => `${e.task}#${e.episodeIndex}`)).toEqual(['push-v3#0', 'reach-v3#1']);
  });

  it("keeps one validator's status with `validator`, and answers null or nothing for unknown keys", async () => {
    expect((await snapshots.take({ jobId: J1, validator: 'v2' })).jobStatus!.map((s) => s.validator)).toEqual(['v2']);
    const unknown = await snapshots.take({ competitionId: 'nope', submissionId: uuid(9), jobId: uuid(9), evaluationId: uuid(9) });
    expect(unknown).toEqual({ projectedSequence: 77, competition: null, submission: null, jobs: [], job: null, jobStatus: [], evaluation: null, episodes: [] });
  });
});
