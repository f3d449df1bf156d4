import { describe, expect, it } from '@jest/globals';
import { eventually } from '#testing';
import { FinalizedFollower, type FinalizedHeadSource } from './finalized-follower.js';
import type { BlockRef } from './port.js';

/** A node whose head subscription the test drives, and whose hash lookups can be made to fail. */
const fakeNode = () => {
  let push: (n: number) => void = () => undefined;
  let failing = false;
  const source: FinalizedHeadSource = {
    subscribeFinalizedNumbers: async (onHead) => {
      push = onHead;
      return () => undefined;
    },
    blockHash: async (n) => {
      if (failing) throw new Error('disconnected');
      return `0x${n.toString(16).padStart(64, '0')}`;
    },
  };
  return { source, head: (n: number) => push(n), fail: (v: boolean) => (failing = v) };
};

/** Lets the follower's subscription promise settle. */
const subscribed = () => new Promise((resolve) => setImmediate(resolve));

describe('FinalizedFollower', () => {
  it('delivers every block after the cursor in order, once, even when heads skip', async () => {
    const node = fakeNode();
    const seen: number[] = [];
    const stop = new FinalizedFollower(node.source, (b: BlockRef) => void seen.push(b.number), { after: 3 }).start();
    await subscribed();
    node.head(6);
    node.head(6);
    node.head(9);
    await eventually('six blocks', () => seen.length === 6);
    expect(seen).toEqual([4, 5, 6, 7, 8, 9]);
    stop();
  });

  it('starts at the first head seen when there is no cursor', async () => {
    const node = fakeNode();
    const seen: number[] = [];
    const stop = new FinalizedFollower(node.source, (b) => void seen.push(b.number)).start();
    await subscribed();
    node.head(10);
    node.head(11);
    await eventually('two blocks', () => seen.length === 2);
    expect(seen).toEqual([10, 11]);
    stop();
  });

  it('retries a block whose delivery failed instead of skipping it', async () => {
    const node = fakeNode();
    const seen: number[] = [];
    const errors: unknown[] = [];
    let failOnce = true;
    const stop = new FinalizedFollower(
      node.source,
      (b) => {
        if (b.number === 2 && failOnce) {
          failOnce = false;
          throw new Error('event store down');
        }
        seen.push(b.number);
      },
      { after: 0, retryDelayMs: 5, onError: (e) => errors.push(e) },
    ).start();
    await subscribed();
    node.fail(true);
    node.head(3);
    await eventually('the first failure', () => errors.length === 1);
    node.fail(false);
    await eventually('three blocks', () => seen.length === 3);
    expect(seen).toEqual([1, 2, 3]);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    stop();
  });
});
