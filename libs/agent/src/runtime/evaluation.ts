import type { Env, EpisodeOutcome } from '#sim';
import { taskSpacesOf } from '../tensor/spec.js';
import { AgentSession, type AgentSessionConfig } from './agent-session.js';
import type { Verdict } from './verdict.js';

export interface PlannedEpisode {
  task: string;
  seed: number;
  episodeIndex: number;
}

export interface EpisodeResult extends PlannedEpisode {
  /** Present when the episode ran to its end. */
  outcome?: EpisodeOutcome;
  /** Present when it did not: how and whose fault. */
  verdict?: Verdict;
}

export interface EvaluationRun {
  config: AgentSessionConfig;
  benchmark: string;
  plan: readonly PlannedEpisode[];
  /** The environment of each task of the plan. */
  envs: ReadonlyMap<string, Env>;
  onEpisode?: (result: EpisodeResult) => void;
  onStep?: (episode: PlannedEpisode, steps: number) => void;
}

export interface EvaluationResult {
  episodes: EpisodeResult[];
  /** The agent's end after the last episode, when that itself was a fault (refused Shutdown, crash on exit). */
  closeVerdict?: Verdict;
}

/**
 * Runs the plan's episodes in order in one session announcing every task; the episode whose session fails gets
 * the verdict, and the next episode starts in a fresh session (a fresh sandbox), so one bad episode costs one.
 */
export const runEvaluation = async (run: EvaluationRun): Promise<EvaluationResult> => {
  const spaces = [...run.envs].map(([task, env]) => taskSpacesOf(task, env));
  const episodes: EpisodeResult[] = [];
  let session: AgentSession | undefined;
  const record = (result: EpisodeResult) => {
    episodes.push(result);
    run.onEpisode?.(result);
  };
  for (const planned of run.plan) {
    if (!session) {
      const opened = await AgentSession.open(run.config, spaces);
      if (!opened.ok) {
        record({ ...planned, verdict: opened.verdict });
        continue;
      }
      session = opened.value;
    }
    const result = await session.episode(run.envs.get(planned.task)!, {
      ...planned,
      benchmark: run.benchmark,
      onStep: (steps) => run.onStep?.(planned, steps),
    });
    if (result.ok) record({ ...planned, outcome: result.value });
    else {
      record({ ...planned, verdict: result.verdict });
      session = undefined;
    }
  }
  const closed = await session?.close();
  return closed?.verdict ? { episodes, closeVerdict: closed.verdict } : { episodes };
};
