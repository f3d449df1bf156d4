import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deriveId, schemaVersionOf, validatePayload, type EventType, type NewEvent, type RecordedEvent } from '#contracts';
import { goldenEvents } from '../../../contracts/src/testing/arbitrary-log.js';
import { defaultScoringPolicy } from '../scoring/scores.js';
import { NETUID, rev, ScoringWorld, ss58, VA } from '../scoring/testing/scoring-world.js';
import { weightComputation } from './compute.js';
import { decideWeightSetting, type WeightClock } from './decide.js';
import { evolveWeightSetting } from './evolve.js';
import { initialWeightSettingState, weightsAggregateId, type WeightSettingState } from './state.js';

const ME = VA;
const POLICY = { intervalBlocks: 50 };
const HASH = `0x${'ab'.repeat(32)}`;

/** The validator's own `weights` aggregate as stored (payloads validated), folded from scratch: what a restart sees. */
const given = (history: NewEvent[]): WeightSettingState =>
  history
    .map(
      (e, i) =>
        ({
          eventId: deriveId('weights-given', String(i)),
          type: e.type,
          schemaVersion: schemaVersionOf(e.type),
          aggregate: 'weights',
          aggregateId: weightsAggregateId(NETUID, ME),
          aggregateVersion: i + 1,
          occurredAt: '2026-01-01T00:00:00.000Z',
          correlationId: deriveId('weights-given', 'c'),
          causationId: null,
          producer: { app: 'test', version: '0' },
          data: validatePayload(e.type, e.data),
          streamSequence: 1000 + i,
          recordedAt: '2026-01-01T00:00:00.000Z',
        }) as RecordedEvent,
    )
    .reduce(evolveWeightSetting, initialWeightSettingState(NETUID, ME));

const ev = (type: EventType, data: Record<string, unknown>): NewEvent => ({ type, data: { netuid: NETUID, validator: ME, ...data } }) as NewEvent;
const computed = (upToSequence: number) => ev('WeightsComputed', { upToSequence, uids: [0, 1], weights: [0.25, 0.75] });
const set = (upToSequence: number, block: number, commitBlock?: number) =>
  ev('WeightsSet', { upToSequence, block, extrinsicHash: HASH, uids: [0, 1], weights: [21845, 65535], ...(commitBlock !== undefined && { commitBlock }) });
const committed = (upToSequence: number, block: number, revealFromBlock: number, revealUntilBlock: number) =>
  ev('WeightsCommitted', {
    upToSequence,
    block,
    extrinsicHash: HASH,
    commitHash: HASH,
    uids: [0, 1],
    weights: [21845, 65535],
    salt: [1, 2, 3, 4, 5, 6, 7, 8],
    versionKey: '0',
    revealFromBlock,
    revealUntilBlock,
  });
const failed = (upToSequence: number, block: number, extra: Record<string, unknown> = {}) =>
  ev('WeightsSetFailed', { upToSequence, block, reason: 'SubtensorModule.SettingWeightsTooFast', ...extra });

const clock = (block: number, scoringSequence: number, chain: Partial<WeightClock['chain']> = {}, newsSequence = scoringSequence): WeightClock => ({
  block,
  scoringSequence,
  newsSequence,
  chain: { registered: true, commitRevealEnabled: false, nextAllowedBlock: 0, ...chain },
});

describe('weight setting: when to compute and submit', () => {
  it('given nothing recorded, when a block arrives, then it submits by set_weights as of the scoring sequence', () => {
    expect(decideWeightSetting(given([]), clock(10, 42), POLICY)).toMatchObject({
      kind: 'submit',
      mode: 'set',
      asOfSequence: 42,
      reason: expect.stringMatching(/ever set/),
    });
  });

  it('given a subnet with commit-reveal, then it submits by commit', () => {
    expect(decideWeightSetting(given([]), clock(10, 42, { commitRevealEnabled: true }), POLICY)).toMatchObject({ kind: 'submit', mode: 'commit' });
  });

  it('given weights set at block 100 with nothing new, then it waits until the interval has passed', () => {
    const state = given([computed(42), set(42, 100)]);
    expect(decideWeightSetting(state, clock(149, 42), POLICY)).toMatchObject({ kind: 'wait', reason: expect.stringMatching(/next refresh at block 150/) });
    expect(decideWeightSetting(state, clock(150, 42), POLICY)).toMatchObject({
      kind: 'submit',
      asOfSequence: 42,
      reason: expect.stringMatching(/50 blocks since the last attempt at block 100/),
    });
  });

  it('given new scoring inputs since the last computation, then it submits at once', () => {
    expect(decideWeightSetting(given([computed(42), set(42, 100)]), clock(101, 57), POLICY)).toMatchObject({
      kind: 'submit',
      asOfSequence: 57,
      reason: expect.stringMatching(/new scoring inputs up to sequence 57/),
    });
  });

  it('given only metagraph snapshots since the last computation, then it waits for the interval, and computes as of them', () => {
    const state = given([computed(42), set(42, 100)]);
    expect(decideWeightSetting(state, clock(120, 60, {}, 42), POLICY).kind).toBe('wait');
    expect(decideWeightSetting(state, clock(150, 60, {}, 42), POLICY)).toMatchObject({ kind: 'submit', asOfSequence: 60 });
  });

  it('given a due vector the rate limit does not let land yet, then it waits for the block the chain allows', () => {
    const state = given([computed(42), set(42, 100)]);
    expect(decideWeightSetting(state, clock(150, 57, { nextAllowedBlock: 200 }), POLICY)).toMatchObject({
      kind: 'wait',
      reason: expect.stringMatching(/rate limited: weights may land from block 200/),
    });
    // An extrinsic sent at head 199 lands in 200.
    expect(decideWeightSetting(state, clock(199, 57, { nextAllowedBlock: 200 }), POLICY)).toMatchObject({ kind: 'submit' });
  });

  it('given a rate-limited attempt the chain refused, then it retries only after the interval (no retry every block)', () => {
    const state = given([computed(42), failed(42, 120)]);
    expect(state.lastAttempt).toEqual({ block: 120, upToSequence: 42, outcome: 'failed' });
    expect(decideWeightSetting(state, clock(121, 42), POLICY).kind).toBe('wait');
    expect(decideWeightSetting(state, clock(170, 42), POLICY)).toMatchObject({ kind: 'submit' });
  });

  it('given a vector computed but never submitted (a restart in between), then it submits again', () => {
    expect(decideWeightSetting(given([computed(42), set(42, 100), computed(57)]), clock(101, 57), POLICY)).toMatchObject({
      kind: 'submit',
      reason: expect.stringMatching(/no outcome/),
    });
  });

  it('given an unregistered hotkey, then it waits', () => {
    expect(decideWeightSetting(given([]), clock(10, 42, { registered: false }), POLICY)).toMatchObject({
      kind: 'wait',
      reason: expect.stringMatching(/not registered/),
    });
  });
});

describe('weight setting: commit and reveal', () => {
  const history = [computed(42), committed(42, 10, 16, 19)];

  it('given a commit, when its window has not opened, then it waits without committing again', () => {
    expect(decideWeightSetting(given(history), clock(14, 99, { commitRevealEnabled: true }), POLICY)).toMatchObject({
      kind: 'wait',
      reason: expect.stringMatching(/reveals in blocks 16-19/),
    });
  });

  it('given a validator restarted between commit and reveal, then the log alone gives it the reveal, salt included, inside the window', () => {
    // `given` folds from scratch: nothing but the recorded WeightsCommitted survives the restart.
    for (const head of [15, 18]) {
      expect(decideWeightSetting(given(history), clock(head, 42, { commitRevealEnabled: true }), POLICY)).toEqual({
        kind: 'reveal',
        commit: {
          block: 10,
          upToSequence: 42,
          commitHash: HASH,
          uids: [0, 1],
          weights: [21845, 65535],
          salt: [1, 2, 3, 4, 5, 6, 7, 8],
          versionKey: '0',
          revealFromBlock: 16,
          revealUntilBlock: 19,
        },
      });
    }
  });

  it('given the reveal recorded, then the commit is closed and the next submission waits for the interval from the commit', () => {
    const state = given([...history, set(42, 17, 10)]);
    expect(state.pending).toBeNull();
    expect(state.lastSet).toEqual({ block: 17, upToSequence: 42 });
    expect(decideWeightSetting(state, clock(40, 42, { commitRevealEnabled: true }), POLICY).kind).toBe('wait');
    expect(decideWeightSetting(state, clock(60, 42, { commitRevealEnabled: true }), POLICY)).toMatchObject({ kind: 'submit', mode: 'commit' });
  });

  it('given a missed window, then it records the failure naming the commit, and then commits again at once', () => {
    const decision = decideWeightSetting(given(history), clock(19, 42, { commitRevealEnabled: true }), POLICY);
    expect(decision).toEqual({
      kind: 'record',
      events: [
        {
          type: 'WeightsSetFailed',
          data: {
            netuid: NETUID,
            validator: ME,
            upToSequence: 42,
            block: 19,
            commitBlock: 10,
            reason: expect.stringMatching(/reveal window \(blocks 16-19\) of the commit of block 10 passed before block 20/),
          },
        },
      ],
    });
    const after = given([...history, ...(decision as { events: NewEvent[] }).events]);
    expect(after.pending).toBeNull();
    expect(decideWeightSetting(after, clock(20, 42, { commitRevealEnabled: true }), POLICY)).toMatchObject({
      kind: 'submit',
      mode: 'commit',
      reason: expect.stringMatching(/never revealed/),
    });
  });

  it('given a reveal the chain refused, then the commit is dropped and weights are submitted again', () => {
    const state = given([...history, failed(42, 17, { commitBlock: 10, reason: 'SubtensorModule.CommitRevealDisabled' })]);
    expect(state.pending).toBeNull();
    expect(decideWeightSetting(state, clock(18, 42), POLICY)).toMatchObject({ kind: 'submit', mode: 'set' });
  });

  it('ignores a reveal or failure naming another commit, and events of other validators or subnets', () => {
    const state = given([...history, set(42, 17, 3), failed(42, 17, { commitBlock: 4 })]);
    expect(state.pending?.block).toBe(10);
    const other = { ...committed(42, 10, 16, 19), data: { ...committed(42, 10, 16, 19).data, validator: ss58('Other') } } as NewEvent;
    expect(given([other]).pending).toBeNull();
  });
});

describe('weight setting: what is computed', () => {
  it('given nobody eligible, then the whole weight goes to the burn uid of the scoring policy', () => {
    const world = new ScoringWorld().competition('comp');
    const bob = ss58('Bob');
    world.metagraph([bob]);
    world.submit({ id: 'bob', hotkey: bob, revision: rev('b'), block: 5 }); // no results: not scored
    const [scores, weights] = weightComputation(world.state, { ...defaultScoringPolicy, burnUid: 0 }, ME, world.state.sequence);
    expect(scores!.type).toBe('ScoresComputed');
    expect(scores!.data).toMatchObject({ upToSequence: world.state.sequence, scores: [{ uid: 1, eligible: false }], weights: [{ uid: 0, weight: 1 }] });
    expect(weights).toEqual({ type: 'WeightsComputed', data: { netuid: NETUID, validator: ME, upToSequence: world.state.sequence, uids: [0], weights: [1] } });
  });

  it('given a champion, then it gets the competition’s share beside the owner’s', () => {
    const world = new ScoringWorld().competition('comp', { minValidators: 1 });
    const bob = ss58('Bob');
    world.metagraph([bob]);
    const [job] = world.submit({ id: 'bob', hotkey: bob, revision: rev('b'), block: 5 });
    world.result(job!, VA, 9, 10);
    const [, weights] = weightComputation(world.state, { ...defaultScoringPolicy, ownerShare: 0.25 }, ME, world.state.sequence);
    expect(weights!.data).toMatchObject({ uids: [0, 1], weights: [0.25, 0.75] });
  });
});

describe('weight setting is total', () => {
  it('folds any event of the catalogue without throwing, and decides for any clock', () => {
    const golden = goldenEvents() as unknown as RecordedEvent[];
    // The validator of the golden weights events, so they are folded, not skipped as someone else's.
    const { netuid, validator } = golden.find((e) => e.type === 'WeightsCommitted')!.data as { netuid: number; validator: string };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...golden), { maxLength: 30 }), fc.nat(10_000), fc.nat(10_000), fc.boolean(), (events, block, sequence, cr) => {
        const state = events.reduce(evolveWeightSetting, initialWeightSettingState(netuid, validator));
        expect(() => decideWeightSetting(state, clock(block, sequence, { commitRevealEnabled: cr }), POLICY)).not.toThrow();
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });
});
