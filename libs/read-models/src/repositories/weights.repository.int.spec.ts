import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ScoreEntity, WeightsHistoryEntity } from '../entities/index.js';
import { openRowBed, scoreRow, weightsRow } from '../testing/rows.js';
import { WeightsRepository } from './weights.repository.js';

jest.setTimeout(30_000);

let bed: Awaited<ReturnType<typeof openRowBed>>;
let weights: WeightsRepository;

/**
 * Subnet 7, v1: scores@9, computed@10 (upTo 9), committed@11 (block 100), set@12 (block 105, upTo 9), computed@13
 * (upTo 12), failed@14, set@15 (block 120, upTo 12), scores@16. Subnet 7, v2: computed@20, scores@21.
 * Subnet 8, v1: set@30 (block 110, upTo 29, no computation behind it).
 */
beforeAll(async () => {
  bed = await openRowBed('weights repository');
  await bed.db
    .getRepository(WeightsHistoryEntity)
    .insert([
      weightsRow(9, 'scores'),
      weightsRow(10, 'computed', { upToSequence: 9 }),
      weightsRow(11, 'committed', { block: 100 }),
      weightsRow(12, 'set', { block: 105, upToSequence: 9 }),
      weightsRow(13, 'computed', { upToSequence: 12 }),
      weightsRow(14, 'failed', { reason: 'rate limited' }),
      weightsRow(15, 'set', { block: 120, upToSequence: 12 }),
      weightsRow(16, 'scores'),
      weightsRow(20, 'computed', { validator: 'v2' }),
      weightsRow(21, 'scores', { validator: 'v2' }),
      weightsRow(30, 'set', { netuid: 8, block: 110, upToSequence: 29 }),
    ]);
  await bed.db
    .getRepository(ScoreEntity)
    .insert([
      scoreRow(16, 0, { score: 0.5 }),
      scoreRow(16, 1, { competitionId: 'mt50' }),
      scoreRow(16, 2, { score: 0.25 }),
      scoreRow(21, 0, { validator: 'v2', score: 1 }),
    ]);
  weights = new WeightsRepository(bed.db);
});

afterAll(async () => {
  await bed?.dispose();
});

const sequences = (rows: { streamSequence: number }[]) => rows.map((r) => r.streamSequence);

describe('WeightsRepository', () => {
  const allButScores = ['computed', 'committed', 'set', 'failed'] as const;

  it('keeps the latest record of each kind per (subnet, validator), filtered', async () => {
    expect(sequences(await weights.latestOfKinds({}, allButScores))).toEqual([11, 13, 14, 15, 20, 30]);
    expect(sequences(await weights.latestOfKinds({ netuid: 7, validator: 'v1' }, allButScores))).toEqual([11, 13, 14, 15]);
    expect(sequences(await weights.latestOfKinds({ validator: 'v2' }, ['set']))).toEqual([]);
  });

  it('as of a block: the last commit and set included by then, and the computation each set came from', async () => {
    const held = await weights.heldAt({}, 110);
    expect(held.map((r) => [r.netuid, r.kind, r.streamSequence])).toEqual([
      [7, 'committed', 11],
      [7, 'set', 12],
      [8, 'set', 30],
      [7, 'computed', 10],
    ]);
    expect(sequences(await weights.heldAt({}, 104))).toEqual([11]);
    expect(sequences(await weights.heldAt({ netuid: 7 }, 200))).toEqual([11, 15, 13]);
  });

  it('pages the history newest first, filtered by subnet, validator and kind', async () => {
    const sets = await weights.history({ validator: 'v1', kind: 'set' }, { limit: 2, offset: 0 });
    expect(sequences(sets.items)).toEqual([30, 15]);
    expect(sets.total).toBe(3);
    expect(sequences((await weights.history({ netuid: 7, kind: 'set' }, { limit: 50, offset: 0 })).items)).toEqual([15, 12]);
    expect((await weights.history({ kind: 'failed' }, { limit: 50, offset: 0 })).items[0]).toMatchObject({ reason: 'rate limited', block: null });
  });

  it("finds each validator's latest scores, as of a sequence, and one competition's entries of them", async () => {
    expect((await weights.latestScores({})).map((r) => [r.validator, r.streamSequence, r.upToSequence])).toEqual([
      ['v1', 16, 15],
      ['v2', 21, 20],
    ]);
    expect(sequences(await weights.latestScores({ asOfSequence: 15 }))).toEqual([9]);
    expect(sequences(await weights.latestScores({ validator: 'v2' }))).toEqual([21]);
    const entries = await weights.scoreEntries('mt10', [21, 16]);
    expect(entries.map((e) => [e.streamSequence, e.entryIndex, e.score])).toEqual([
      [16, 0, 0.5],
      [16, 2, 0.25],
      [21, 0, 1],
    ]);
    expect(await weights.scoreEntries('mt10', [])).toEqual([]);
  });
});
