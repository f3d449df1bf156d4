import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '#testing';
import { FinalizedFollower, type FinalizedHeadSource } from './finalized-follower.js';
import type { BlockRef } from './port.js';

/** A node whose head subscription the test drives, and whose hash lookups can be made to fail. */
const fakeNode = () => {
  let push: (n: number) => void = () => undefined;
  let failing = false;
  const source: FinalizedHeadSource = {
    subscribeFinalizedNumbers: async (onHead) => {
      if (failing) throw new Error('not connected');
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

const running: (() => void)[] = [];
/** Starts a follower that is stopped after the test, whatever its outcome. */
const follow = (...args: ConstructorParameters<typeof FinalizedFollower>) => running.push(new FinalizedFollower(...args).start());
afterEach(() => running.splice(0).forEach((stop) => stop()));

describe('FinalizedFollower', () => {
  it('delivers every block after the cursor in order, once, even when heads skip', async () => {
    const node = fakeNode();
    const seen: number[] = [];
    follow(node.source, (b: BlockRef) => void seen.push(b.number), { after: 3 });
    await subscribed();
    node.head(6);
    node.head(6);
    node.head(9);
    await eventually('six blocks', () => seen.length === 6);
    expect(seen).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('starts at the first head seen when there is no cursor', async () => {
    const node = fakeNode();
    const seen: number[] = [];
    follow(node.source, (b) => void seen.push(b.number));
    await subscribed();
    node.head(10);
    node.head(11);
    await eventually('two blocks', () => seen.length === 2);
    expect(seen).toEqual([10, 11]);
  });

  it('keeps trying to subscribe while the node is unreachable', async () => {
    const node = fakeNode();
    const seen: number[] = [];
    const errors: unknown[] = [];
    node.fail(true);
    follow(node.source, (b) => void seen.push(b.number), { after: 4, retryDelayMs: 5, onError: (e) => errors.push(e) });
    await eventually('failed attempts', () => errors.length >= 2);
    node.fail(false);
    await eventually('a subscription', () => (node.head(5), seen.length === 1));
    expect(seen).toEqual([5]);
  });

  it('retries a block whose delivery failed instead of skipping it', async () => {
    const node = fakeNode();
    const seen: number[] = [];
    const errors: unknown[] = [];
    let failOnce = true;
    follow(
      node.source,
      (b) => {
        if (b.number === 2 && failOnce) {
          failOnce = false;
          throw new Error('event store down');
        }
        seen.push(b.number);
      },
      { after: 0, retryDelayMs: 5, onError: (e) => errors.push(e) },
    );
    await subscribed();
    node.fail(true);
    node.head(3);
    await eventually('a failure', () => errors.length >= 1);
    node.fail(false);
    await eventually('three blocks', () => seen.length === 3);
    expect(seen).toEqual([1, 2, 3]);
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });
});
