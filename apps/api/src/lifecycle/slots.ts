/**
 * The task-major position of an episode in its job's plan (the work item's and the heartbeat key's slot):
 * taskIndex * episodesPerTask + episodeIndex; undefined when the benchmark has no such episode.
 */
export const slotOf = (benchmark: { tasks: readonly string[]; episodesPerTask: number }, task: string, episodeIndex: number): number | undefined => {
  const taskIndex = benchmark.tasks.indexOf(task);
  if (taskIndex < 0 || !Number.isInteger(episodeIndex) || episodeIndex < 0 || episodeIndex >= benchmark.episodesPerTask) return undefined;
  return taskIndex * benchmark.episodesPerTask + episodeIndex;
};
