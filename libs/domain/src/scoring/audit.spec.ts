import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { arbitraryLogs, goldenEvents } from '../../../contracts/src/testing/arbitrary-log.js';
import { auditHashChain, deriveWeights } from './audit.js';
import { rev, ss58, ScoringWorld, VA, VB } from './testing/scoring-world.js';

describe('the audit hash chain', () => {
  it('links each stage to the previous one; the golden digests are Python’s hashlib over the same canonical JSON', () => {
    /*
     * import hashlib, json
     * canon = lambda v: json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
     * prev = ''
     * for v in [episodes, outcomes, scoreInputs, weights]:   # the four values below
     *     prev = hashlib.sha256((canon(v) + prev).encode('utf-8')).hexdigest(); print(prev)
     */
    const chain = auditHashChain({
      episodes: [{ totalReward: 1.5, success: true, episodeId: 'e1' }],
      outcomes: [{ validator: 'v', jobId: 'j1', episodes: 2, successes: 1, meanReward: 0.25 }],
      scoreInputs: [{ score: 0.5, hotkey: 'm', role: 'champion', reason: 'first é' }],
      weights: { weights: [0.25, 0.75], uids: [0, 1] },
    });
    expect(chain).toEqual({
      episodes: '8b2d1496bc1dccdf29d5eff68e1ab8bb9a4ceaa804ca814909e6a5aeb10473bf',
      outcomes: 'b93686fe1cb4deb9f2fd5e8e6a495eaa1e0a0eda39de1386cd5cbff28df323d2',
      scoreInputs: 'f29ff710c692213de07f6dfaab883f2f4e5c4856bcc725004b92f3cdbda64ed2',
      weights: '8f1a13131b8cf47e581e85b8f3aff9eeb9411476edc7e45754c81c72efbe148f',
    });
  });

  it('changes a stage’s link and every later one when that stage changes, and no earlier one', () => {
    const inputs = { episodes: [1], outcomes: [2], scoreInputs: [3], weights: [4] };
    const base = auditHashChain(inputs);
    const changed = auditHashChain({ ...inputs, outcomes: [2.5] });
    expect(changed.episodes).toBe(base.episodes);
    for (const link of ['outcomes', 'scoreInputs', 'weights'] as const) expect(changed[link]).not.toBe(base[link]);
  });
});

describe('deriveWeights', () => {
  const [M1, M2] = ['MinerOne', 'MinerTwo'].map(ss58) as [string, string];
  const world = () => {
    const w = new ScoringWorld().competition('comp', { weightShare: 0.75 }).metagraph([M1, M2], [VA, VB]);
    const [job1] = w.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    w.result(job1!, VA, 7, 10);
    w.result(job1!, VB, 9, 10);
    return { w, job1: job1! };
  };

  it('re-derives the vector from the log: the champion (uid 1) gets the competition’s 0.75, the burn uid the rest', () => {
    const { w } = world();
    const derived = deriveWeights(w.events, 7, VA, w.state.sequence);
    expect(derived.weights).toEqual({ netuid: 7, validator: VA, upToSequence: w.state.sequence, uids: [0, 1], weights: [0.25, 0.75] });
    // median of 0.7 and 0.9
    expect(derived.scores.scores).toMatchObject([{ hotkey: M1, role: 'champion', score: 0.8, validators: [VA, VB].sort() }]);
    // In validator order (the addresses are real keys now).
    expect([...(derived.chainInputs.outcomes as { sequence: number }[])].sort((a, b) => a.sequence - b.sequence)).toEqual([
      { jobId: expect.any(String), validator: VA, episodes: 10, successes: 7, meanReward: 1, sequence: 6 },
      { jobId: expect.any(String), validator: VB, episodes: 10, successes: 9, meanReward: 1, sequence: 8 },
    ]);
  });

  it('ignores what the log holds after the as-of sequence: before the second result the quorum of one still scores 0.7', () => {
    const { w } = world();
    // Sequence 6 is VA's result (each result follows its claim).
    const derived = deriveWeights(w.events, 7, VA, 6);
    expect(derived.scores.scores[0]).toMatchObject({ score: 0.7, validators: [VA] });
    expect(derived.chain.outcomes).not.toBe(deriveWeights(w.events, 7, VA, 8).chain.outcomes);
    expect(deriveWeights(w.events, 7, VA, 6)).toEqual(derived);
  });
});

describe('deriveWeights over any log', () => {
  it('depends only on the events up to the as-of sequence, and derives the same twice', () => {
    const golden = goldenEvents();
    const netuid = golden.find((e) => e.type === 'MetagraphSynced')!.data.netuid;
    fc.assert(
      fc.property(arbitraryLogs(golden), fc.nat(70), (log, cut) => {
        const upTo = log[Math.min(cut, log.length - 1)]?.streamSequence ?? 0;
        const derived = deriveWeights(log, netuid, VA, upTo);
        expect(
          deriveWeights(
            log.filter((e) => e.streamSequence <= upTo),
            netuid,
            VA,
            upTo,
          ).chain,
        ).toEqual(derived.chain);
        expect(deriveWeights(log, netuid, VA, upTo)).toEqual(derived);
        if (derived.weights.uids.length > 0) expect(derived.weights.weights.reduce((a, b) => a + b, 0)).toBe(1);
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });
});
