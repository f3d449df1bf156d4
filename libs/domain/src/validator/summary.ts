import type { EventData } from '#contracts';
import { wilsonInterval } from '../stats/wilson.js';
import type { RecordedEpisode } from './state.js';

type Summary = Omit<EventData<'EvaluationCompleted'>, 'evaluationId' | 'jobId' | 'validator'>;

const rates = (episodes: RecordedEpisode[]) => {
  const successes = episodes.filter((e) => e.success).length;
  return {
    episodes: episodes.length,
    successRate: episodes.length === 0 ? 0 : successes / episodes.length,
    meanReward: episodes.length === 0 ? 0 : episodes.reduce((sum, e) => sum + e.totalReward, 0) / episodes.length,
    successInterval: wilsonInterval(successes, episodes.length),
  };
};

/**
 * What EvaluationCompleted reports (and scoring uses): over every recorded episode and per task, in the job's task
 * order, the success rate with its 95% Wilson interval and the mean total reward. Slots are task-major.
 */
export const summarize = (benchmark: { tasks: readonly string[]; episodesPerTask: number }, recorded: ReadonlyMap<number, RecordedEpisode>): Summary => {
  const slots = [...recorded.keys()].sort((a, b) => a - b);
  const all = slots.map((slot) => recorded.get(slot)!);
  const tasks = benchmark.tasks.map((task, taskIndex) => ({
    task,
    ...rates(slots.filter((slot) => Math.floor(slot / benchmark.episodesPerTask) === taskIndex).map((slot) => recorded.get(slot)!)),
  }));
  return { ...rates(all), tasks };
};
