import { describe, expect, it } from '@jest/globals';
import { shares, weightsSeries, type WeightsRecord } from './weights-series.js';

const record = (over: Partial<WeightsRecord>): WeightsRecord => ({
  streamSequence: 1,
  netuid: 2,
  validator: 'v',
  kind: 'set',
  uids: [],
  weights: [],
  block: null,
  extrinsicHash: null,
  at: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('weights series', () => {
  it('reads u16 weights as shares of the vector', () => {
    expect(shares([21845, 65535])).toEqual([0.25, 0.75]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });

  it('gives each uid its share at every set’s block, in block order, 0 where a set left it out', () => {
    const series = weightsSeries([
      record({ streamSequence: 9, block: 600, uids: [5], weights: [65535] }),
      record({ streamSequence: 3, kind: 'computed', uids: [1], weights: [1] }), // no block: not on chain
      record({ streamSequence: 5, block: 512, uids: [1, 5], weights: [21845, 65535] }),
      record({ streamSequence: 7, kind: 'failed' }),
    ]);
    expect(series).toEqual({
      blocks: [512, 600],
      uids: [1, 5],
      byUid: [
        [0.25, 0],
        [0.75, 1],
      ],
    });
  });
});
