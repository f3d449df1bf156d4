/**
 * Prints the per-task table of the README: scripted expert vs uniform random policy over 50
 * seeded episodes each (seeds 0..49), MetaWorld's success-at-any-step rule.
 * Run: npx tsc -p tsconfig.build.json && node dist/libs/sim/scripts/expert-table.js [episodes]
 */
import { MT10 } from '../src/registry.js';
import { evaluateTask } from '../src/metaworld/experts/expert-check.js';
import type { PolicySummary } from '../src/metaworld/experts/evaluate.js';

const percent = (s: PolicySummary): string => `${(s.successRate * 100).toFixed(0)}%`;
const steps = (s: PolicySummary): string => (s.meanStepsToSuccess === undefined ? '–' : s.meanStepsToSuccess.toFixed(1));

const main = async (): Promise<void> => {
  const episodes = Number(process.argv[2] ?? 50);
  const seeds = Array.from({ length: episodes }, (_, i) => i);
  console.log(`| task | expert success | random success | expert mean reward | random mean reward | expert mean steps to success |`);
  console.log(`|---|---:|---:|---:|---:|---:|`);
  for (const task of MT10) {
    const started = performance.now();
    const { expert, random } = await evaluateTask(task, seeds, seeds);
    console.log(`| ${task} | ${percent(expert)} | ${percent(random)} | ${expert.meanReward.toFixed(1)} | ${random.meanReward.toFixed(1)} | ${steps(expert)} |`);
    console.error(`${task}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
