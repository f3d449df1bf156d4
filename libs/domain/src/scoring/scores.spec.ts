import { describe, expect, it } from '@jest/globals';
import { computeScores, defaultScoringPolicy, type CompetitionScores, type ScoreEntry } from './scores.js';
import { rev, ss58, ScoringWorld, VA, VB, VC, VD } from './testing/scoring-world.js';

/*
 * Golden intervals, worked by hand with Wilson's formula at z = 1.96 (centre (p + z²/2n)/(1 + z²/n), half-width
 * z·√(p(1−p)/n + z²/4n²)/(1 + z²/n)), to 4 decimals:
 *   7/10 → [0.3968, 0.8922]   (z² = 3.8415; centre 0.8921/1.3841 = 0.6445; half 1.96·0.17494/1.3841 = 0.2477)
 *   5/10 → [0.2366, 0.7634]   10/10 → [0.7225, 1]
 *   50/100 → [0.40383, 0.59617]   90/100 → [0.82563, 0.94477] (so 0.09617 + 0.07437 = 0.1705)
 *   50/100 → [0.4038, 0.5962] 60/100 → [0.5020, 0.6906] 80/100 → [0.7112, 0.8666] 90/100 → [0.8256, 0.9448]
 */
const [M1, M2, M3] = ['MinerOne', 'MinerTwo', 'MinerThree'].map(ss58) as [string, string, string];

const scoresOf = (world: ScoringWorld, competitionId = 'comp'): CompetitionScores =>
  computeScores(world.state, defaultScoringPolicy, world.state.sequence).competitions.find((c) => c.competitionId === competitionId)!;
const entry = (c: CompetitionScores, hotkey: string, revision?: string): ScoreEntry =>
  c.entries.find((e) => e.hotkey === hotkey && (revision === undefined || e.revision === revision))!;
const roughly = (interval: { low: number; high: number } | null) => interval && { low: +interval.low.toFixed(4), high: +interval.high.toFixed(4) };

describe('consensus over validators', () => {
  it('given three validators at 8/10, 6/10 and 7/10, when scored, then the score is the median 0.7 with the Wilson interval of 7/10 and no outlier', () => {
    const world = new ScoringWorld().competition('comp').metagraph([M1]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 8, 10);
    world.result(job!, VB, 6, 10);
    world.result(job!, VC, 7, 10);
    const e = entry(scoresOf(world), M1);
    expect(e.score).toBeCloseTo(0.7, 12);
    expect(roughly(e.interval)).toEqual({ low: 0.3968, high: 0.8922 });
    expect(e.validators).toEqual([VA, VB, VC].sort());
    expect(e.outliers).toEqual([]);
    expect(e).toMatchObject({ eligible: true, role: 'champion', rank: 1 });
  });

  it('given two validators at 6/10 and 8/10, when scored, then the median is their mean 0.7', () => {
    const world = new ScoringWorld().competition('comp').metagraph([M1]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 6, 10);
    world.result(job!, VB, 8, 10);
    const e = entry(scoresOf(world), M1);
    expect(e.score).toBeCloseTo(0.7, 12);
    expect(roughly(e.interval)).toEqual({ low: 0.3968, high: 0.8922 });
  });

  it('given validators at 10/10, 7/10 and 1/10, when scored, then the median is 0.7 and both extremes are flagged as outliers of [0.3968, 0.8922]', () => {
    const world = new ScoringWorld().competition('comp').metagraph([M1]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 10, 10);
    world.result(job!, VB, 7, 10);
    world.result(job!, VC, 1, 10);
    const e = entry(scoresOf(world), M1);
    expect(e.score).toBeCloseTo(0.7, 12);
    expect(e.outliers).toEqual([VA, VC].sort());
  });

  it('given a quorum of 2 and one validator reporting, when scored, then the entry is not scored and says the quorum is not met', () => {
    const world = new ScoringWorld().competition('comp', { minValidators: 2 }).metagraph([M1]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 7, 10);
    const c = scoresOf(world);
    expect(entry(c, M1)).toMatchObject({
      score: null,
      eligible: false,
      role: 'ineligible',
      rank: null,
      reason: 'not scored: quorum not met: 1 of 2 validators reported every benchmark',
    });
    expect(c.champion).toBeNull();
  });

  it('given two benchmarks, when a validator reported only one, then it does not count towards the quorum; when it reports both, its rate pools both jobs', () => {
    const world = new ScoringWorld(3).competition('comp').metagraph([M1]);
    const [reach, push] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100, benchmarks: ['reach', 'push'] });
    world.result(reach!, VA, 3, 3);
    expect(entry(scoresOf(world), M1).reason).toBe('not scored: quorum not met: 0 of 1 validators reported every benchmark');
    world.result(push!, VA, 1, 3);
    // 4 successes of 6 episodes: Wilson(4, 6) = [0.3000, 0.9032] by the formula above.
    const e = entry(scoresOf(world), M1);
    expect(e.score).toBeCloseTo(4 / 6, 12);
    expect(roughly(e.interval)).toEqual({ low: 0.3, high: 0.9032 });
  });

  it('given a result from a validator without a permit, a duplicate, a result for an unknown job and one short of the plan, when folded, then none counts and each is named', () => {
    const world = new ScoringWorld().competition('comp').metagraph([M1], [VA]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 7, 10);
    world.result(job!, VA, 0, 10);
    world.result(job!, VD, 0, 10);
    const dead = '0192f1a0-7c3e-7000-8a1b-00000000dead';
    world.result(dead, VA, 0, 10);
    const [other] = world.submit({ id: 's2', hotkey: M1, revision: rev('b'), block: 101 });
    world.result(other!, VA, 1, 1);
    expect(world.unfolded).toEqual([
      `result of ${VA} for job ${job} is a duplicate; the first one counts`,
      expect.stringMatching(new RegExp(`^EvaluationClaimed of ${VD} for job ${job} not counted: no_permit: `)),
      expect.stringMatching(new RegExp(`^EvaluationCompleted of ${VD} for job ${job} not counted: no_permit: `)),
      expect.stringMatching(new RegExp(`^EvaluationClaimed of ${VA} for job ${dead} not counted: unknown_job: `)),
      expect.stringMatching(new RegExp(`^EvaluationCompleted of ${VA} for job ${dead} not counted: unknown_job: `)),
      expect.stringMatching(
        new RegExp(`^EvaluationCompleted of ${VA} for job ${other} not counted: episode_count_mismatch: .* reports 1 episodes; job ${other} plans 10$`),
      ),
    ]);
    expect(entry(scoresOf(world), M1).score).toBeCloseTo(0.7, 12);
  });

  it('given results after the as-of sequence, when scored as of before them, then they are left out', () => {
    const world = new ScoringWorld().competition('comp').metagraph([M1]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    const first = world.result(job!, VA, 7, 10);
    world.result(job!, VB, 0, 10);
    const asOf = computeScores(world.state, defaultScoringPolicy, first.streamSequence).competitions[0]!.entries[0]!;
    expect(asOf.validators).toEqual([VA]);
    expect(asOf.score).toBeCloseTo(0.7, 12);
  });
});

describe('eligibility', () => {
  it('given minSuccessRate 0.6, when a miner scores 5/10, then it is ineligible and says why', () => {
    const world = new ScoringWorld().competition('comp', { minSuccessRate: 0.6 }).metagraph([M1]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 5, 10);
    expect(entry(scoresOf(world), M1)).toMatchObject({
      score: 0.5,
      eligible: false,
      role: 'ineligible',
      reason: "success rate 0.5 is below the competition's minimum 0.6",
    });
  });

  it('given minMeanReward 2, when the median mean reward is 1.5, then it is ineligible', () => {
    const world = new ScoringWorld().competition('comp', { minMeanReward: 2 }).metagraph([M1]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 5, 10, 1);
    world.result(job!, VB, 5, 10, 2);
    expect(entry(scoresOf(world), M1).reason).toBe("mean reward 1.5 is below the competition's minimum 2");
  });

  it('given a miner not in the metagraph, when scored, then it is ineligible', () => {
    const world = new ScoringWorld().competition('comp').metagraph([]);
    const [job] = world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 });
    world.result(job!, VA, 5, 10);
    expect(entry(scoresOf(world), M1)).toMatchObject({ uid: null, role: 'ineligible', reason: 'hotkey is not registered in the latest metagraph' });
  });
});

describe('champion and challengers', () => {
  const duel = (champion: number, challenger: number, episodes: number, settings: Record<string, unknown> = {}) => {
    const world = new ScoringWorld(episodes).competition('comp', settings).metagraph([M1, M2]);
    world.result(world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 })[0]!, VA, champion, episodes);
    world.result(world.submit({ id: 's2', hotkey: M2, revision: rev('b'), block: 200 })[0]!, VA, challenger, episodes);
    return scoresOf(world);
  };

  it('given a champion at 50/100, when a challenger scores 80/100, then it wins: +0.3 beats the margin 0.0962 + 0.0888 = 0.185', () => {
    const c = duel(50, 80, 100);
    expect(c.champion?.hotkey).toBe(M2);
    expect(entry(c, M2).reason).toBe(`beat champion ${M1} (0.5) by 0.3 > required margin 0.185`);
    expect(entry(c, M1)).toMatchObject({ role: 'challenger', rank: 2, reason: `dethroned by ${M2} (submission ${entry(c, M2).submissionId})` });
  });

  it('given a champion at 50/100, when a challenger scores 60/100, then it does not win: +0.1 is within 0.0962 + 0.0980 = 0.1942', () => {
    const c = duel(50, 60, 100);
    expect(c.champion?.hotkey).toBe(M1);
    expect(entry(c, M2)).toMatchObject({
      role: 'challenger',
      rank: 2,
      eligible: true,
      reason: `did not beat champion ${M1} (0.5) by more than the required margin 0.1942 (gain 0.1)`,
    });
  });

  it('given winMargin 0.5, when a challenger gains 0.3 over a 0.185 sampling error, then the floor of 0.5 holds it off', () => {
    expect(duel(50, 80, 100, { winMargin: 0.5 }).champion?.hotkey).toBe(M1);
  });

  it('given 5/10 against 10/10, when unclamped the margin 0.2634 + 0.2775 = 0.5409 holds off +0.5, and when maxMarginGap is 0.3 the challenger wins', () => {
    expect(duel(5, 10, 10).champion?.hotkey).toBe(M1);
    const clamped = duel(5, 10, 10, { maxMarginGap: 0.3 });
    expect(clamped.champion?.hotkey).toBe(M2);
    expect(entry(clamped, M2).reason).toBe(`beat champion ${M1} (0.5) by 0.5 > required margin 0.3`);
  });

  it('given two equal scores committed in the same block, when judged, then the lower hotkey is champion; equal challengers rank by earlier block', () => {
    const M4 = ss58('MinerFour');
    const world = new ScoringWorld().competition('comp').metagraph([M1, M2, M3, M4]);
    world.result(world.submit({ id: 's3', hotkey: M3, revision: rev('c'), block: 100 })[0]!, VA, 7, 10);
    world.result(world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 })[0]!, VA, 7, 10);
    world.result(world.submit({ id: 's2', hotkey: M2, revision: rev('b'), block: 50 })[0]!, VA, 3, 10);
    world.result(world.submit({ id: 's4', hotkey: M4, revision: rev('d'), block: 90 })[0]!, VA, 7, 10);
    const c = scoresOf(world);
    // M2 (block 50, 3/10 → [0.1078, 0.6032]) is champion first; M4 (block 90), then M1 and M3 (block 100) each gain
    // 0.4 < the margin 0.3032 + 0.3032 of 3/10 against 7/10. The three 0.7s rank by block, then hotkey.
    const [low, high] = [M1, M3].sort();
    expect(c.champion?.hotkey).toBe(M2);
    expect(c.entries.map((e) => [e.hotkey, e.role, e.rank])).toEqual([
      [M2, 'champion', 1],
      [M4, 'challenger', 2],
      [low, 'challenger', 3],
      [high, 'challenger', 4],
    ]);
  });

  it('given two equal scores in one block and nobody earlier, when judged, then the lower hotkey is champion', () => {
    const world = new ScoringWorld().competition('comp').metagraph([M1, M2]);
    world.result(world.submit({ id: 's2', hotkey: M2, revision: rev('b'), block: 100 })[0]!, VA, 7, 10);
    world.result(world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 })[0]!, VA, 7, 10);
    expect(scoresOf(world).champion?.hotkey).toBe([M1, M2].sort()[0]);
  });

  it('given a copy of another miner’s revision committed later (even from another repo, even scoring higher), when judged, then the copy is ineligible and the original keeps priority', () => {
    const world = new ScoringWorld().competition('comp').metagraph([M1, M2]);
    world.result(world.submit({ id: 's1', hotkey: M1, revision: rev('a'), block: 100 })[0]!, VA, 5, 10);
    world.result(world.submit({ id: 's2', hotkey: M2, revision: rev('a'), block: 101, repo: 'thief/agent' })[0]!, VA, 10, 10);
    const c = scoresOf(world);
    expect(c.champion?.hotkey).toBe(M1);
    expect(entry(c, M2)).toMatchObject({
      role: 'ineligible',
      reason: `copy of revision ${rev('a')}, first committed by ${M1} at block 100, which keeps priority`,
    });
  });

  it('given a champion who recommits, when its new revision does not beat its own entry by the margin it stays a challenger; when a later one does it takes over and the old entry is superseded; re-committing an old revision is not judged again', () => {
    const world = new ScoringWorld(100).competition('comp').metagraph([M1]);
    world.result(world.submit({ id: 'a', hotkey: M1, revision: rev('a'), block: 100 })[0]!, VA, 50, 100);
    world.result(world.submit({ id: 'b', hotkey: M1, revision: rev('b'), block: 200 })[0]!, VA, 60, 100);
    let c = scoresOf(world);
    expect(c.champion?.revision).toBe(rev('a'));
    expect(entry(c, M1, rev('b'))).toMatchObject({
      role: 'challenger',
      reason: 'did not beat its own champion entry (0.5) by more than the required margin 0.1942 (gain 0.1)',
    });

    world.result(world.submit({ id: 'c', hotkey: M1, revision: rev('c'), block: 300 })[0]!, VA, 90, 100);
    world.result(world.submit({ id: 'a-again', hotkey: M1, revision: rev('a'), block: 400 })[0]!, VA, 100, 100);
    c = scoresOf(world);
    expect(c.champion?.revision).toBe(rev('c'));
    expect(entry(c, M1, rev('c')).reason).toBe('beat its own champion entry (0.5) by 0.4 > required margin 0.1705');
    expect(entry(c, M1, rev('a')).reason).toMatch(/^superseded by the hotkey's later revision c{40} \(dethroned by/);
    expect(entry(c, M1, rev('b')).role).toBe('ineligible');
    expect(c.entries.find((e) => e.block === 400)).toMatchObject({
      role: 'ineligible',
      reason: expect.stringMatching(/^re-commit of revision a{40}, which this hotkey entered in submission/),
    });
  });
});
