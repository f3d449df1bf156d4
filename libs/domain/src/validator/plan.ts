import { EPISODE_WORK_KIND, EPISODE_WORK_VERSION, type EpisodeWorkItem, type EventData } from '#contracts';
import { episodeIdFor } from '../evaluation/ids.js';
import type { TrackedEvaluation, ValidatorState } from './state.js';

type Benchmark = EventData<'JobCreated'>['benchmark'];

/** Where an episode sits in the job's plan: task-major, slot = taskIndex × episodesPerTask + episodeIndex. */
export const slotOf = (benchmark: Pick<Benchmark, 'tasks' | 'episodesPerTask'>, task: string, episodeIndex: number): number | undefined => {
  const taskIndex = benchmark.tasks.indexOf(task);
  if (taskIndex < 0 || episodeIndex < 0 || episodeIndex >= benchmark.episodesPerTask) return undefined;
  return taskIndex * benchmark.episodesPerTask + episodeIndex;
};

/** The planned slots of an evaluation: one per seed of its job, unless the claim planned fewer. */
const plannedSlots = (evaluation: TrackedEvaluation, benchmark: Benchmark): number[] =>
  Array.from({ length: Math.min(evaluation.plannedEpisodes, benchmark.seeds.length, benchmark.tasks.length * benchmark.episodesPerTask) }, (_, slot) => slot);

/** The work item of one slot: everything an evaluator needs to run that episode without reading anything else. */
const workItem = (state: ValidatorState, evaluation: TrackedEvaluation, slot: number): EpisodeWorkItem => {
  const job = state.jobs.get(evaluation.jobId)!.created;
  const { benchmark } = job;
  return {
    kind: EPISODE_WORK_KIND,
    version: EPISODE_WORK_VERSION,
    evaluationId: evaluation.evaluationId,
    jobId: job.jobId,
    validator: state.validator,
    episodeId: episodeIdFor(evaluation.evaluationId, slot),
    slot,
    task: benchmark.tasks[Math.floor(slot / benchmark.episodesPerTask)]!,
    episodeIndex: slot % benchmark.episodesPerTask,
    seed: benchmark.seeds[slot]!,
    plannedEpisodes: evaluation.plannedEpisodes,
    repo: job.repo,
    revision: job.revision,
    benchmark,
    deadline: job.deadline,
    maxRepoBytes: evaluation.maxRepoBytes!,
  };
};

/**
 * The work items of an open evaluation that are still to run: every planned slot that is neither recorded, nor
 * given up on, nor in `queued` (what the work stream holds). Nothing for an evaluation that is not open, or whose
 * competition was unknown when it was claimed.
 */
export const workToPlan = (state: ValidatorState, evaluationId: string, queued: ReadonlySet<number> = new Set()): EpisodeWorkItem[] => {
  const evaluation = state.evaluations.get(evaluationId);
  const job = evaluation && state.jobs.get(evaluation.jobId);
  if (!evaluation || !job || !state.open.has(evaluationId) || evaluation.maxRepoBytes === null) return [];
  return plannedSlots(evaluation, job.created.benchmark)
    .filter((slot) => !evaluation.recorded.has(slot) && !evaluation.failedSlots.has(slot) && !queued.has(slot))
    .map((slot) => workItem(state, evaluation, slot));
};

/** What a restart puts right on the work stream: the missing items of open evaluations, and leftovers of ended ones. */
export interface Replan {
  publish: EpisodeWorkItem[];
  /** Evaluations of this validator that ended while work of theirs is still queued. */
  withdraw: string[];
}

/**
 * After a restart (or a lost work stream): `queued` is what the work stream holds, slots by evaluation id (of any
 * validator). Re-publishing an item that an evaluator holds unacknowledged is not needed (it is still queued);
 * one it finished is recorded, so it is not planned again.
 */
export const replan = (state: ValidatorState, queued: ReadonlyMap<string, ReadonlySet<number>>): Replan => ({
  publish: [...state.open].flatMap((evaluationId) => workToPlan(state, evaluationId, queued.get(evaluationId))),
  withdraw: [...queued.keys()].filter((evaluationId) => state.evaluations.has(evaluationId) && !state.open.has(evaluationId)),
});
