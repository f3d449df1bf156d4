import { deriveEventId, type NewEvent } from '#contracts';
import { evaluationDecider } from '../evaluation/decider.js';
import { evaluationIdFor } from '../evaluation/ids.js';
import type { EvaluationState } from '../evaluation/state.js';
import { NEW_AGGREGATE, type Position } from '../scheduler/state.js';
import { summarize } from './summary.js';
import type { EpisodeFailure, TrackedEvaluation, ValidatorState } from './state.js';

/**
 * Events to append to one of this validator's evaluations, at the position its decision was based on. Event ids
 * derive from the cause, so a retried append is dropped as a duplicate; the position makes a second outcome a
 * conflict.
 */
export interface EvaluationDecision {
  evaluationId: string;
  events: NewEvent[];
  expected: Position;
  causationId: string;
  correlationId: string;
}

const decided = (evaluationId: string, events: NewEvent[], expected: Position, causationId: string, correlationId: string): EvaluationDecision => ({
  evaluationId,
  events: events.map((e) => ({ ...e, eventId: deriveEventId(causationId, e.type, evaluationId) })),
  expected,
  causationId,
  correlationId,
});

/** The verdict's words for the failure reason: `agent_timeout`, `agent_crash`, … or the evaluator giving up. */
const failureReason = (failure: EpisodeFailure): string =>
  failure.fault === 'miner' ? `agent_${failure.verdict.toLowerCase()}` : `infrastructure_${failure.verdict.toLowerCase()}`;

const failureDetail = (f: EpisodeFailure): string =>
  `episode ${f.episodeId} (task ${f.task}, episode ${f.episodeIndex}, seed ${f.seed}) failed on attempt ${f.attempt} at ${f.evaluator} with ${f.verdict}` +
  ` (${f.fault === 'miner' ? 'the agent is at fault' : 'an infrastructure fault, not counted against the miner'}): ${f.reason}`;

type Ending =
  | { kind: 'cancel'; at: number; cause: string }
  | { kind: 'fail'; at: number; cause: string; failure: EpisodeFailure }
  | { kind: 'complete'; at: number; cause: string };

/** How an open evaluation ends, if it does: whichever of cancellation, a failed episode and the last recorded one came first in the log. */
const endingOf = (state: ValidatorState, evaluation: TrackedEvaluation): Ending | undefined => {
  const job = state.jobs.get(evaluation.jobId)!;
  const endings: Ending[] = [];
  if (job.cancelled) endings.push({ kind: 'cancel', at: job.cancelled.sequence, cause: job.cancelled.eventId });
  if (evaluation.failure) endings.push({ kind: 'fail', at: evaluation.failure.sequence, cause: evaluation.failure.eventId, failure: evaluation.failure });
  if (evaluation.completedBy) endings.push({ kind: 'complete', at: evaluation.completedBy.sequence, cause: evaluation.completedBy.eventId });
  return endings.sort((a, b) => a.at - b.at)[0];
};

const decideOpen = (state: ValidatorState, evaluation: TrackedEvaluation): EvaluationDecision | undefined => {
  const job = state.jobs.get(evaluation.jobId)!;
  let current: EvaluationState = evaluation.state;
  const events: NewEvent[] = [];
  const ending = endingOf(state, evaluation);
  // An evaluation runs once an evaluator was heard of; completing needs RUNNING, so its start comes first.
  const activity = evaluation.firstActivity ?? (ending?.kind === 'complete' ? { evaluator: 'unknown', eventId: ending.cause } : null);
  if (current.status === 'STARTING' && activity) {
    events.push(...evaluationDecider.decide({ type: 'StartEvaluation', evaluator: activity.evaluator }, current));
    current = { ...current, status: 'RUNNING', evaluator: activity.evaluator };
  }
  if (ending?.kind === 'cancel') events.push(...evaluationDecider.decide({ type: 'CancelEvaluation' }, current));
  if (ending?.kind === 'fail') {
    const f = ending.failure;
    events.push(
      ...evaluationDecider.decide(
        {
          type: 'FailEvaluation',
          reason: failureReason(f),
          fault: f.fault,
          detail: failureDetail(f),
          verdict: f.verdict,
          episodeId: f.episodeId,
          stderrTail: f.stderrTail,
        },
        current,
      ),
    );
  }
  if (ending?.kind === 'complete') {
    events.push(...evaluationDecider.decide({ type: 'CompleteEvaluation', ...summarize(job.created.benchmark, evaluation.recorded) }, current));
  }
  if (events.length === 0) return undefined;
  const cause = ending?.cause ?? activity!.eventId;
  return decided(evaluation.evaluationId, events, evaluation.position, cause, job.correlationId);
};

/** Whether a waiting job may be claimed now: its competition has opened (the sweep already dropped what never can be). */
const opened = (state: ValidatorState, jobId: string): boolean => {
  const competition = state.competitions.get(state.jobs.get(jobId)!.created.competitionId)?.state;
  const startsAt = competition && competition.status !== 'absent' ? competition.settings.startsAt : null;
  return !startsAt || (state.clock !== null && Date.parse(state.clock) >= Date.parse(startsAt));
};

/**
 * What the validator appends now, from its state alone (level-triggered: after any event, after a restart, the
 * same state decides the same): the start and the outcome of each open evaluation whose episodes say so, then claims
 * of waiting jobs, oldest first, while fewer than `maxEvaluations` are open. Claims decided here count against the
 * capacity; outcomes decided here free it only once folded (the caller decides again after appending).
 */
export const decideValidator = (state: ValidatorState): EvaluationDecision[] => {
  const outcomes = [...state.open].flatMap((id) => decideOpen(state, state.evaluations.get(id)!) ?? []);
  const free = Math.max(0, state.maxEvaluations - state.open.size);
  const claims = state.waiting
    .filter((jobId) => opened(state, jobId))
    .slice(0, free)
    .map((jobId) => {
      const job = state.jobs.get(jobId)!;
      const events = evaluationDecider.decide(
        { type: 'ClaimEvaluation', jobId, validator: state.validator, plannedEpisodes: job.created.benchmark.seeds.length },
        evaluationDecider.initialState(),
      );
      return decided(evaluationIdFor(jobId, state.validator), events, NEW_AGGREGATE, job.createdEventId, job.correlationId);
    });
  return [...outcomes, ...claims];
};
