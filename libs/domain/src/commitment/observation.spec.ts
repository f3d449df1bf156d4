import { describe, expect, it } from '@jest/globals';
import { aggregateIdSchema } from '#contracts';
import { commitmentAggregateId, commitmentObservedEventId, metagraphSyncedEventId } from './observation.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const H1 = `0x${'1'.repeat(64)}`;
const H2 = `0x${'2'.repeat(64)}`;

describe('commitment observation ids', () => {
  it('gives the same chain fact the same event id on every read', () => {
    expect(commitmentObservedEventId(1, ALICE, H1)).toBe(commitmentObservedEventId(1, ALICE, H1));
    expect(commitmentObservedEventId(1, ALICE, H1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives different facts different ids', () => {
    const ids = [
      commitmentObservedEventId(1, ALICE, H1),
      commitmentObservedEventId(2, ALICE, H1),
      commitmentObservedEventId(1, BOB, H1),
      commitmentObservedEventId(1, ALICE, H2),
      metagraphSyncedEventId(1, H1),
      metagraphSyncedEventId(1, H2),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names the aggregate with a valid subject token', () => {
    expect(commitmentAggregateId(26, ALICE)).toBe(`26:${ALICE}`);
    expect(aggregateIdSchema.safeParse(commitmentAggregateId(26, ALICE)).success).toBe(true);
  });
});
