import { describe, expect, it } from '@jest/globals';
import { evaluateTask, EXPECTED_EXPERT_SUCCESS, MAX_RANDOM_SUCCESS, RANDOM_SEEDS, SAMPLE_SEEDS } from '../expert-check.js';

/** Jest cases for a group of tasks (split over three files so each stays around 20 s on 2 cores). */
export const describeExpertChecks = (tasks: readonly string[]): void => {
  describe.each(tasks)('%s', (task) => {
    it(`scripted expert reaches MetaWorld's success rate over ${SAMPLE_SEEDS.length} seeded episodes; random stays near 0`, async () => {
      const { expert, random } = await evaluateTask(task, SAMPLE_SEEDS, RANDOM_SEEDS);
      expect(expert.successRate).toBeGreaterThanOrEqual(EXPECTED_EXPERT_SUCCESS[task]!);
      expect(random.successRate).toBeLessThanOrEqual(MAX_RANDOM_SUCCESS[task]!);
      expect(expert.meanReward).toBeGreaterThan(random.meanReward);
    }, 60_000);
  });
};
