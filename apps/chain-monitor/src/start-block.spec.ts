import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { firstStart } from './start-block.js';

describe('firstStart', () => {
  it('starts CHAIN_LOOKBACK_BLOCKS before the finalized head', () => {
    expect(firstStart({ lookbackBlocks: 7200 }, 5_000_000)).toEqual({
      after: 4_992_799,
      reason: 'nothing of it in the log yet; the finalized head 5000000 minus CHAIN_LOOKBACK_BLOCKS=7200',
    });
  });

  it('starts at block 1 of a chain shorter than the lookback', () => {
    expect(firstStart({ lookbackBlocks: 7200 }, 130)).toEqual({
      after: 0,
      reason: "nothing of it in the log yet; the chain's 130 finalized blocks are within CHAIN_LOOKBACK_BLOCKS=7200",
    });
    expect(firstStart({ lookbackBlocks: 7200 }, 7200).after).toBe(0);
    expect(firstStart({ lookbackBlocks: 7200 }, 7201).after).toBe(0);
    expect(firstStart({ lookbackBlocks: 7200 }, 7202).after).toBe(1);
  });

  it('prefers CHAIN_START_BLOCK, and says when it is ahead of the head', () => {
    expect(firstStart({ startBlock: 42, lookbackBlocks: 7200 }, 5_000_000)).toEqual({
      after: 41,
      reason: 'nothing of it in the log yet; CHAIN_START_BLOCK=42',
    });
    expect(firstStart({ startBlock: 102, lookbackBlocks: 0 }, 100).reason).toBe(
      'nothing of it in the log yet; CHAIN_START_BLOCK=102, ahead of the finalized head 100: waiting for it',
    );
    expect(firstStart({ startBlock: 101, lookbackBlocks: 0 }, 100).reason).toBe('nothing of it in the log yet; CHAIN_START_BLOCK=101');
  });

  it('never starts before block 1 nor after the head without a start block', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), (head, lookback) => {
        const { after } = firstStart({ lookbackBlocks: lookback }, head);
        expect(after).toBeGreaterThanOrEqual(0);
        expect(after).toBeLessThanOrEqual(Math.max(0, head - 1));
        if (head - lookback >= 1) expect(after + 1).toBe(head - lookback);
      }),
    );
  });
});
