import { describe, expect, it } from '@jest/globals';
import { evaluateTask, EXPECTED_EXPERT_SUCCESS, MAX_RANDOM_SUCCESS, RANDOM_SEEDS, SAMPLE_SEEDS } from './expert-check.js';

describe.each(['reach-v3', 'push-v3', 'pick-place-v3', 'peg-insert-side-v3', 'button-press-topdown-v3'])('%s', (task) => {
  it(`scripted expert reaches MetaWorld's success rate over ${SAMPLE_SEEDS.length} seeded episodes; random stays near 0`, async () => {
    const { expert, random } = await evaluateTask(task, SAMPLE_SEEDS, RANDOM_SEEDS);
    expect(expert.successRate).toBeGreaterThanOrEqual(EXPECTED_EXPERT_SUCCESS[task]!);
    expect(random.successRate).toBeLessThanOrEqual(MAX_RANDOM_SUCCESS);
    expect(expert.meanReward).toBeGreaterThan(random.meanReward);
  }, 60_000);
});
