import { deriveId, type BenchmarkSpec } from '#contracts';

/** The first 32 bits of deriveId("seed", jobId, slot): the same job always gets the same seeds, on every machine. */
const seedOf = (jobId: string, slot: number): number => Number.parseInt(deriveId('seed', jobId, String(slot)).slice(0, 8), 16);

/** One seed per episode, task-major: seeds[taskIndex * episodesPerTask + episodeIndex]. */
export const deriveSeeds = (jobId: string, spec: Pick<BenchmarkSpec, 'tasks' | 'episodesPerTask'>): number[] =>
  Array.from({ length: spec.tasks.length * spec.episodesPerTask }, (_, slot) => seedOf(jobId, slot));

/** The seed of one episode of a frozen benchmark. */
export const episodeSeed = (
  benchmark: { tasks: readonly string[]; episodesPerTask: number; seeds: readonly number[] },
  task: string,
  episodeIndex: number,
): number => {
  const taskIndex = benchmark.tasks.indexOf(task);
  if (taskIndex < 0 || episodeIndex < 0 || episodeIndex >= benchmark.episodesPerTask) {
    throw new RangeError(`no episode ${episodeIndex} of task "${task}" in this benchmark`);
  }
  return benchmark.seeds[taskIndex * benchmark.episodesPerTask + episodeIndex]!;
};
