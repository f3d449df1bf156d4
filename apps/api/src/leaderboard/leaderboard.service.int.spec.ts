import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  CHECKPOINT_ID,
  CheckpointsRepository,
  CompetitionEntity,
  CompetitionsRepository,
  LeaderboardsRepository,
  NotFound,
  ProjectorCheckpointEntity,
  ResultEntity,
  SubmissionEntity,
} from '#read-models';
import { competitionRow, openRowBed, resultRow, submissionRow, uuidOf as uuid } from '../../../../libs/read-models/src/testing/rows.js';
import { LeaderboardService } from './leaderboard.service.js';

// A medium test: the service and its ranking cache over the repositories and a Postgres schema of its own, without
// Nest or NATS. The cache is keyed by the read models' version, so what it serves moves with the checkpoint.
jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let service: LeaderboardService;
const page = { limit: 50, offset: 0 };

const checkpointAt = (lastSequence: number) => bed.db.getRepository(ProjectorCheckpointEntity).save({ id: CHECKPOINT_ID, lastSequence, updatedAt: new Date() });

/** mt10 (share 3) and mt50 (share 1) active; A leads mt10, B leads mt50. */
beforeAll(async () => {
  bed = await openRowBed('leaderboard service');
  const db = bed.db;
  await db
    .getRepository(CompetitionEntity)
    .insert([competitionRow('mt10', { weightShare: 3 }), competitionRow('mt50', { weightShare: 1 }), competitionRow('old', { active: false })]);
  await db
    .getRepository(SubmissionEntity)
    .insert([
      submissionRow(uuid(1), { hotkey: 'A' }),
      submissionRow(uuid(2), { hotkey: 'B', block: 2 }),
      submissionRow(uuid(3), { hotkey: 'B', competitionId: 'mt50' }),
    ]);
  await db
    .getRepository(ResultEntity)
    .insert([
      resultRow(uuid(11), { submissionId: uuid(1), hotkey: 'A', successRate: 0.5 }),
      resultRow(uuid(12), { submissionId: uuid(2), hotkey: 'B', successRate: 0.25 }),
      resultRow(uuid(13), { submissionId: uuid(3), hotkey: 'B', competitionId: 'mt50', successRate: 1 }),
    ]);
  await checkpointAt(10);
  service = new LeaderboardService(new LeaderboardsRepository(bed.db), new CheckpointsRepository(bed.db), new CompetitionsRepository(bed.db));
});

afterAll(async () => {
  await bed?.dispose();
});

const board = async (competitionId: string) => (await service.leaderboard(competitionId, page)).items.map((e) => [e.rank, e.hotkey, e.successRate]);

describe('LeaderboardService', () => {
  it("serves a competition's board, NotFound for an unknown competition", async () => {
    expect(await board('mt10')).toEqual([
      [1, 'A', 0.5],
      [2, 'B', 0.25],
    ]);
    expect(await service.leaderboard('mt10', { limit: 1, offset: 1 })).toMatchObject({ total: 2, limit: 1, offset: 1, items: [{ rank: 2, hotkey: 'B' }] });
    await expect(service.leaderboard('nope', page)).rejects.toEqual(new NotFound('competition', 'nope'));
  });

  it('keeps serving the ranking computed at this version, and recomputes once the checkpoint moves', async () => {
    await board('mt10');
    // Written without moving the checkpoint: not what the projector does, so it shows the cache at work.
    await bed.db.getRepository(ResultEntity).insert([resultRow(uuid(14), { submissionId: uuid(2), hotkey: 'B', validator: 'v2', successRate: 1 })]);
    expect(await board('mt10')).toEqual([
      [1, 'A', 0.5],
      [2, 'B', 0.25],
    ]);
    await checkpointAt(11);
    expect(await board('mt10')).toEqual([
      [1, 'B', 0.625],
      [2, 'A', 0.5],
    ]);
  });

  it('ranks miners across the active competitions by share-weighted success rate', async () => {
    const overall = await service.overall(page);
    expect(overall.items.map((e) => [e.rank, e.hotkey, e.score, e.competitions.map((c) => [c.competitionId, c.share, c.rank])])).toEqual([
      [
        1,
        'B',
        0.75 * 0.625 + 0.25 * 1,
        [
          ['mt10', 0.75, 1],
          ['mt50', 0.25, 1],
        ],
      ],
      [2, 'A', 0.75 * 0.5, [['mt10', 0.75, 2]]],
    ]);
    expect(overall.total).toBe(2);
  });
});
