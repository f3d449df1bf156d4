import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { JobEntity, ResultEntity, SubmissionEntity, WeightsHistoryEntity } from '../entities/index.js';
import { jobRow, openRowBed, resultRow, submissionRow, uuidOf as uuid, weightsRow } from '../testing/rows.js';
import { LeaderboardsRepository, type SubmissionBoardFilter, type SubmissionBoardSort } from './leaderboards.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let db: DataSource;
let boards: LeaderboardsRepository;

// Miners A, B, C on mt10 (submissions S1, S2, S3 at blocks 10, 5, 20); D on mt50 (S4, block 1).
const [S1, S2, S3, S4] = [uuid(1), uuid(2), uuid(3), uuid(4)];
const [J1, J2, J3a, J3b, J4] = [uuid(11), uuid(12), uuid(13), uuid(14), uuid(15)];
const scored = (streamSequence: number, scores: { submissionId: string; score: number }[]) =>
  weightsRow(streamSequence, 'scores', { scores: scores as unknown as WeightsHistoryEntity['scores'] });

beforeAll(async () => {
  bed = await openRowBed('leaderboards repository');
  db = bed.db;
  await db
    .getRepository(SubmissionEntity)
    .insert([
      submissionRow(S1, { hotkey: 'A', block: 10 }),
      submissionRow(S2, { hotkey: 'B', block: 5 }),
      submissionRow(S3, { hotkey: 'C', block: 20 }),
      submissionRow(S4, { hotkey: 'D', block: 1, competitionId: 'mt50' }),
    ]);
  await db
    .getRepository(JobEntity)
    .insert([
      jobRow(J1, { submissionId: S1 }),
      jobRow(J2, { submissionId: S2 }),
      jobRow(J3a, { submissionId: S3 }),
      jobRow(J3b, { submissionId: S3, benchmarkName: 'other' }),
      jobRow(J4, { submissionId: S4, competitionId: 'mt50' }),
    ]);
  // Rates chosen exact in binary, so the golden values below are exact too.
  await db.getRepository(ResultEntity).insert([
    resultRow(uuid(21), { jobId: J1, submissionId: S1, hotkey: 'A', validator: 'v1', episodes: 10, successRate: 0.75, meanReward: 2 }),
    resultRow(uuid(22), { jobId: J1, submissionId: S1, hotkey: 'A', validator: 'v2', episodes: 30, successRate: 0.25, meanReward: 1 }),
    resultRow(uuid(23), { jobId: J2, submissionId: S2, hotkey: 'B', validator: 'v1', episodes: 10, successRate: 0.5, meanReward: 3 }),
    resultRow(uuid(24), { jobId: J3a, submissionId: S3, hotkey: 'C', validator: 'v1', episodes: 10, successRate: 1, meanReward: 4 }),
    resultRow(uuid(25), {
      jobId: J3b,
      submissionId: S3,
      hotkey: 'C',
      validator: 'v1',
      episodes: 30,
      successRate: 0,
      meanReward: 0,
      completedAt: new Date('2026-01-01T02:30:00Z'),
    }),
    resultRow(uuid(26), {
      jobId: J4,
      submissionId: S4,
      hotkey: 'D',
      competitionId: 'mt50',
      validator: 'v1',
      episodes: 10,
      successRate: 0.875,
      meanReward: 0,
    }),
  ]);
  // Only the latest computation's scores count: the older one would put S2 first.
  await db.getRepository(WeightsHistoryEntity).insert([
    scored(40, [{ submissionId: S2, score: 1 }]),
    scored(50, [
      { submissionId: S3, score: 0.5 },
      { submissionId: S1, score: 0.25 },
    ]),
  ]);
  boards = new LeaderboardsRepository(db);
});

afterAll(async () => {
  await bed?.dispose();
});

describe('LeaderboardsRepository.minerRanking', () => {
  it('ranks by the mean of per-validator episode-weighted success rates; a tie goes to the lower block', async () => {
    expect(await boards.minerRanking('mt10')).toEqual([
      {
        rank: 1,
        hotkey: 'B',
        successRate: 0.5,
        meanReward: 3,
        validators: 1,
        episodes: 10,
        firstSubmissionId: S2,
        firstBlock: 5,
        firstSubmittedAt: new Date('2026-01-01T00:00:00Z'),
      },
      {
        rank: 2,
        hotkey: 'A',
        successRate: 0.5,
        meanReward: 1.5,
        validators: 2,
        episodes: 40,
        firstSubmissionId: S1,
        firstBlock: 10,
        firstSubmittedAt: new Date('2026-01-01T00:00:00Z'),
      },
      {
        rank: 3,
        hotkey: 'C',
        successRate: 0.25,
        meanReward: 1,
        validators: 1,
        episodes: 40,
        firstSubmissionId: S3,
        firstBlock: 20,
        firstSubmittedAt: new Date('2026-01-01T00:00:00Z'),
      },
    ]);
    expect(await boards.minerRanking('nope')).toEqual([]);
  });
});

describe('LeaderboardsRepository.submissionRanking', () => {
  const board = (
    filter: Partial<SubmissionBoardFilter>,
    sort: SubmissionBoardSort = { by: 'successRate', direction: 'DESC' },
    page = { limit: 50, offset: 0 },
  ) => boards.submissionRanking({ minResults: 1, ...filter }, sort, page);
  const order = async (...args: Parameters<typeof board>) => (await board(...args)).items.map((s) => [s.rank, s.hotkey]);

  it('aggregates each submission over its results, episode-weighted', async () => {
    const page = await board({ competitionId: 'mt10' });
    expect(page).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(page.items).toEqual([
      {
        rank: 1,
        submissionId: S2,
        competitionId: 'mt10',
        hotkey: 'B',
        repo: 'miner/agent',
        revision: 'abc1234',
        block: 5,
        results: 1,
        validators: 1,
        episodes: 10,
        successRate: 0.5,
        meanReward: 3,
        score: null,
        lastResultAt: new Date('2026-01-01T02:00:00Z'),
      },
      {
        rank: 2,
        submissionId: S1,
        competitionId: 'mt10',
        hotkey: 'A',
        repo: 'miner/agent',
        revision: 'abc1234',
        block: 10,
        results: 2,
        validators: 2,
        episodes: 40,
        successRate: 0.375,
        meanReward: 1.25,
        score: 0.25,
        lastResultAt: new Date('2026-01-01T02:00:00Z'),
      },
      {
        rank: 3,
        submissionId: S3,
        competitionId: 'mt10',
        hotkey: 'C',
        repo: 'miner/agent',
        revision: 'abc1234',
        block: 20,
        results: 2,
        validators: 1,
        episodes: 40,
        successRate: 0.25,
        meanReward: 1,
        score: 0.5,
        lastResultAt: new Date('2026-01-01T02:30:00Z'),
      },
    ]);
  });

  it('sorts by score (unscored last), mean reward, either direction; ties by lower block', async () => {
    expect(await order({}, { by: 'score', direction: 'DESC' })).toEqual([
      [1, 'C'],
      [2, 'A'],
      [3, 'D'],
      [4, 'B'],
    ]);
    expect(await order({}, { by: 'meanReward', direction: 'ASC' })).toEqual([
      [1, 'D'],
      [2, 'C'],
      [3, 'A'],
      [4, 'B'],
    ]);
    expect(await order({ competitionId: 'mt10' }, { by: 'successRate', direction: 'ASC' })).toEqual([
      [1, 'C'],
      [2, 'A'],
      [3, 'B'],
    ]);
  });

  it('filters the results it aggregates: miner, benchmark, validator, minimum results', async () => {
    expect(await order({ hotkey: 'D' })).toEqual([[1, 'D']]);
    const other = await board({ benchmarkName: 'other' });
    expect(other.items.map((s) => [s.hotkey, s.results, s.episodes, s.successRate])).toEqual([['C', 1, 30, 0]]);
    const v2 = await board({ validator: 'v2' });
    expect(v2.items.map((s) => [s.hotkey, s.results, s.successRate])).toEqual([['A', 1, 0.25]]);
    expect(await order({ minResults: 2 })).toEqual([
      [1, 'A'],
      [2, 'C'],
    ]);
  });

  it('pages, ranks counting from the offset, and keeps the total past the end', async () => {
    const second = await board({ competitionId: 'mt10' }, undefined, { limit: 1, offset: 1 });
    expect(second).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ rank: 2, hotkey: 'A' }] });
    expect(await board({ competitionId: 'mt10' }, undefined, { limit: 5, offset: 10 })).toEqual({ items: [], total: 3, limit: 5, offset: 10 });
    expect(await board({ competitionId: 'none' })).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });
});
