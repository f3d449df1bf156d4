import type { RecordedEventOf } from '#contracts';
import type { EpisodeStateRow, JobStatusRow } from './rows.js';

export type EpisodeEvent = RecordedEventOf<'EpisodeStarted'> | RecordedEventOf<'EpisodeRecorded'> | RecordedEventOf<'EpisodeFailed'>;

type EpisodeState = Omit<EpisodeStateRow, 'last_sequence'>;

/** The lifecycle columns of job_status as a row starts them: nothing planned, counted or said yet. */
export const emptyLifecycle: Pick<
  JobStatusRow,
  'planned_episodes' | 'episodes_done' | 'episodes_failed' | 'evaluator' | 'verdict' | 'failed_episode_id' | 'stderr_tail' | 'started_at' | 'finished_at'
> = {
  planned_episodes: null,
  episodes_done: 0,
  episodes_failed: 0,
  evaluator: null,
  verdict: null,
  failed_episode_id: null,
  stderr_tail: null,
  started_at: null,
  finished_at: null,
};

const identity = (e: EpisodeEvent) => ({
  episode_id: e.data.episodeId,
  evaluation_id: e.data.evaluationId,
  job_id: e.data.jobId,
  validator: e.data.validator,
  task: e.data.task,
  episode_index: e.data.episodeIndex,
  seed: e.data.seed,
});

const noFailure = { verdict: null, fault: null, reason: null, stderr_tail: null };

/** An event about an attempt older than the one the row describes changes nothing: that attempt is over. */
const stale = (current: EpisodeStateRow | undefined, attempt: number | undefined): boolean =>
  current?.attempt != null && attempt !== undefined && attempt < current.attempt;

/**
 * The episode's state after the event, or undefined when the event changes nothing. Recorded is final (a late
 * failure or restart of a recorded episode is history, not news); a second start of the attempt the row describes,
 * or any event of an older attempt, is stale. Otherwise the latest attempt wins: a failed episode started again runs.
 */
export const nextEpisodeState = (current: EpisodeStateRow | undefined, e: EpisodeEvent): EpisodeState | undefined => {
  if (current?.state === 'recorded') return undefined;
  switch (e.type) {
    case 'EpisodeStarted': {
      const { attempt, evaluator } = e.data;
      // A start of the attempt the row already describes (running or failed) is a repeat, not a new attempt.
      if (stale(current, attempt) || current?.attempt === attempt) return undefined;
      return { ...identity(e), state: 'running', evaluator, attempt, started_at: e.occurredAt, finished_at: null, ...noFailure, evaluator_log: null };
    }
    case 'EpisodeFailed': {
      const d = e.data;
      if (stale(current, d.attempt)) return undefined;
      const startedAt = current?.attempt === d.attempt ? current.started_at : null;
      return {
        ...identity(e),
        state: 'failed',
        evaluator: d.evaluator,
        attempt: d.attempt,
        started_at: startedAt,
        finished_at: e.occurredAt,
        verdict: d.verdict,
        fault: d.fault,
        reason: d.reason,
        stderr_tail: d.stderrTail,
        evaluator_log: d.evaluatorLog ?? null,
      };
    }
    case 'EpisodeRecorded': {
      const d = e.data;
      const attempt = d.attempt ?? current?.attempt ?? null;
      return {
        ...identity(e),
        state: 'recorded',
        evaluator: d.evaluator ?? current?.evaluator ?? null,
        attempt,
        started_at: current && current.attempt === attempt ? current.started_at : null,
        finished_at: e.occurredAt,
        ...noFailure,
        evaluator_log: d.evaluatorLog ?? null,
      };
    }
  }
};

/** How the evaluation's counters move when one episode goes from `before` to `after` (distinct episodes per state). */
export const counterDelta = (before: EpisodeStateRow | undefined, after: EpisodeState): { done: number; failed: number } => ({
  done: (after.state === 'recorded' ? 1 : 0) - (before?.state === 'recorded' ? 1 : 0),
  failed: (after.state === 'failed' ? 1 : 0) - (before?.state === 'failed' ? 1 : 0),
});
