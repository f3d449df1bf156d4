import { isValidatorSignedType, verifyEnvelopeSignature, type EpisodeWorkItem, type EventType, type RecordedEvent } from '#contracts';
import { trackCompetition, type CompetitionEvent } from '../competition/tracking.js';
import { isUnapplied, type RecordedOneOf } from '../decider.js';
import { evaluationDecider } from '../evaluation/decider.js';
import { episodeIdFor, evaluationIdFor } from '../evaluation/ids.js';
import { isTerminal } from '../evaluation/state.js';
import { slotOf, workToPlan } from './plan.js';
import type { TrackedEvaluation, ValidatorState } from './state.js';

/** Every event type the validator folds; the app subscribes to exactly these. */
export const validatorInputs = [
  'CompetitionCreated',
  'CompetitionUpdated',
  'CompetitionActivated',
  'CompetitionDeactivated',
  'JobCreated',
  'JobTimedOut',
  'JobCancelled',
  'EvaluationClaimed',
  'EvaluationStarted',
  'EvaluationCompleted',
  'EvaluationFailed',
  'EvaluationCancelled',
  'EpisodeStarted',
  'EpisodeRecorded',
  'EpisodeFailed',
] as const satisfies readonly EventType[];

type Of<T extends EventType> = RecordedOneOf<T>;

/**
 * What folding one event did, beyond the state: the work it plans (an evaluation was just claimed), the
 * evaluations whose queued work became worthless (one just ended), and the jobs no longer waited for, with why.
 * Each follows a transition, and a transition happens once: a redelivered event yields nothing again.
 */
export interface ValidatorFold {
  /** Why the event could not be folded (the state is as it was); undefined when folded or not this validator's concern. */
  unfolded?: string;
  publish: EpisodeWorkItem[];
  withdraw: string[];
  dropped: string[];
}

const nothing = (): ValidatorFold => ({ publish: [], withdraw: [], dropped: [] });
const refused = (unfolded: string): ValidatorFold => ({ ...nothing(), unfolded });

const later = (a: string | null, b: string): string => (a === null || Date.parse(b) > Date.parse(a) ? b : a);

const foldCompetition = (state: ValidatorState, event: CompetitionEvent): ValidatorFold => {
  const unfolded = trackCompetition(state.competitions, event);
  return unfolded === undefined ? nothing() : refused(unfolded);
};

const foldJob = (state: ValidatorState, event: Of<'JobCreated' | 'JobTimedOut' | 'JobCancelled'>): ValidatorFold => {
  const { jobId } = event.data;
  const job = state.jobs.get(jobId);
  if (event.type === 'JobCreated') {
    if (job) return nothing();
    state.jobs.set(jobId, {
      created: event.data,
      createdEventId: event.eventId,
      correlationId: event.correlationId,
      sequence: event.streamSequence,
      cancelled: null,
      timedOut: false,
    });
    if (!state.evaluations.has(evaluationIdFor(jobId, state.validator))) state.waiting.push(jobId);
    return nothing();
  }
  if (event.type === 'JobTimedOut' && event.data.validator !== state.validator) return nothing();
  if (!job) return refused(`${event.type} for job ${jobId}, which this validator never saw created`);
  if (event.type === 'JobCancelled') {
    job.cancelled ??= { eventId: event.eventId, sequence: event.streamSequence };
    return nothing();
  }
  job.timedOut = true;
  const evaluation = state.evaluations.get(evaluationIdFor(jobId, state.validator));
  if (!evaluation) return nothing();
  // The job's subject, not the evaluation's: the evaluation's position stays where its own events left it.
  return transition(state, evaluation, evaluationDecider.evolve(evaluation.state, event));
};

/** Keeps `open` exact and reports what an evaluation's new status asks of the work stream. */
const transition = (state: ValidatorState, evaluation: TrackedEvaluation, next: TrackedEvaluation['state']): ValidatorFold => {
  const wasOpen = state.open.has(evaluation.evaluationId);
  evaluation.state = next;
  const open = next.status === 'STARTING' || next.status === 'RUNNING';
  if (open) state.open.add(evaluation.evaluationId);
  else state.open.delete(evaluation.evaluationId);
  if (!wasOpen && open) return { ...nothing(), publish: workToPlan(state, evaluation.evaluationId) };
  if (wasOpen && isTerminal(next.status)) return { ...nothing(), withdraw: [evaluation.evaluationId] };
  return nothing();
};

const foldEvaluation = (
  state: ValidatorState,
  event: Of<'EvaluationClaimed' | 'EvaluationStarted' | 'EvaluationCompleted' | 'EvaluationFailed' | 'EvaluationCancelled'>,
): ValidatorFold => {
  const { evaluationId, jobId, validator } = event.data;
  if (validator !== state.validator) return nothing();
  let evaluation = state.evaluations.get(evaluationId);
  if (evaluation && event.streamSequence <= evaluation.position.lastSequence) return nothing();
  if (!evaluation) {
    const job = state.jobs.get(jobId);
    if (!job) return refused(`${event.type} for job ${jobId}, which this validator never saw created`);
    if (evaluationId !== evaluationIdFor(jobId, validator))
      return refused(`${event.type} names evaluation ${evaluationId}, not the one of job ${jobId} and ${validator}`);
    const competition = state.competitions.get(job.created.competitionId)?.state;
    evaluation = {
      evaluationId,
      jobId,
      state: evaluationDecider.initialState(),
      position: { version: 0, lastSequence: 0 },
      plannedEpisodes: (event.type === 'EvaluationClaimed' ? event.data.plannedEpisodes : undefined) ?? job.created.benchmark.seeds.length,
      maxRepoBytes: competition && competition.status !== 'absent' ? competition.settings.maxRepoBytes : null,
      firstActivity: null,
      recorded: new Map(),
      failedSlots: new Set(),
      failure: null,
      completedBy: null,
    };
  }
  const next = evaluationDecider.apply(evaluation.state, event);
  if (isUnapplied(next)) return refused(next.unapplied);
  state.evaluations.set(evaluationId, evaluation);
  state.waiting = state.waiting.filter((id) => id !== jobId);
  evaluation.position = { version: event.aggregateVersion, lastSequence: event.streamSequence };
  return transition(state, evaluation, next);
};

const foldEpisode = (state: ValidatorState, event: Of<'EpisodeStarted' | 'EpisodeRecorded' | 'EpisodeFailed'>): ValidatorFold => {
  const { evaluationId, jobId, validator, episodeId, task, episodeIndex, seed } = event.data;
  if (validator !== state.validator) return nothing();
  const evaluation = state.evaluations.get(evaluationId);
  if (!evaluation || evaluation.jobId !== jobId)
    return refused(`${event.type} for evaluation ${evaluationId}, which this validator never claimed for job ${jobId}`);
  // Late (after the outcome): nothing to change, nothing wrong.
  if (!state.open.has(evaluationId)) return nothing();
  const { benchmark } = state.jobs.get(jobId)!.created;
  const slot = slotOf(benchmark, task, episodeIndex);
  if (slot === undefined || slot >= evaluation.plannedEpisodes || episodeIdFor(evaluationId, slot) !== episodeId || benchmark.seeds[slot] !== seed) {
    return refused(`${event.type} ${episodeId} (task ${task}, episode ${episodeIndex}, seed ${seed}) is not an episode of evaluation ${evaluationId}'s plan`);
  }
  const evaluator = 'evaluator' in event.data ? event.data.evaluator : undefined;
  if (evaluator !== undefined) evaluation.firstActivity ??= { evaluator, eventId: event.eventId };
  if (event.type === 'EpisodeRecorded') {
    if (!evaluation.recorded.has(slot))
      evaluation.recorded.set(slot, { success: event.data.success, totalReward: event.data.totalReward, eventId: event.eventId });
    if (evaluation.recorded.size >= evaluation.plannedEpisodes) evaluation.completedBy ??= { eventId: event.eventId, sequence: event.streamSequence };
  }
  if (event.type === 'EpisodeFailed') {
    evaluation.failedSlots.add(slot);
    const { attempt, verdict, fault, reason, stderrTail } = event.data;
    evaluation.failure ??= {
      eventId: event.eventId,
      sequence: event.streamSequence,
      episodeId,
      task,
      episodeIndex,
      seed,
      attempt,
      evaluator: event.data.evaluator,
      verdict,
      fault,
      reason,
      stderrTail,
    };
  }
  return nothing();
};

/** Why a job that is still waiting can never be claimed, if it cannot (at the log's clock). */
const unclaimable = (state: ValidatorState, jobId: string): string | undefined => {
  const job = state.jobs.get(jobId)!;
  const { competitionId, deadline } = job.created;
  if (job.cancelled !== null) return `job ${jobId} was cancelled before this validator claimed it`;
  if (job.timedOut) return `job ${jobId} timed out for this validator before it claimed it`;
  const competition = state.competitions.get(competitionId)?.state;
  if (!competition || competition.status === 'absent') return `job ${jobId} is of competition "${competitionId}", which this validator does not know`;
  if (competition.status !== 'active') return `job ${jobId} is of competition "${competitionId}", which is not active`;
  const now = state.clock === null ? undefined : Date.parse(state.clock);
  if (now !== undefined && competition.settings.endsAt && now >= Date.parse(competition.settings.endsAt)) {
    return `job ${jobId} is of competition "${competitionId}", which closed at ${competition.settings.endsAt}`;
  }
  if (now !== undefined && now >= Date.parse(deadline)) return `job ${jobId} passed its deadline ${deadline} before this validator could claim it`;
  return undefined;
};

/** Drops the waiting jobs that can no longer be claimed, saying why. */
const sweep = (state: ValidatorState, fold: ValidatorFold): ValidatorFold => {
  const kept: string[] = [];
  for (const jobId of state.waiting) {
    const reason = unclaimable(state, jobId);
    if (reason === undefined) kept.push(jobId);
    else fold.dropped.push(reason);
  }
  state.waiting = kept;
  return fold;
};

/**
 * An event in this validator's name that its hotkey did not sign (it and its evaluators sign everything they append):
 * anyone who can publish could otherwise cancel its evaluations or feed it episodes it never ran.
 */
const forgedInMyName = (state: ValidatorState, event: RecordedEvent): string | undefined => {
  if (!isValidatorSignedType(event.type) || (event.data as { validator?: string }).validator !== state.validator) return undefined;
  const verdict = verifyEnvelopeSignature(event);
  if (verdict === 'valid' && event.signature!.signer === state.validator) return undefined;
  return `${event.type} ${event.eventId} names this validator but is ${verdict === 'unsigned' ? 'unsigned' : 'not signed by its hotkey'}: ignored`;
};

const foldOne = (state: ValidatorState, event: RecordedEvent): ValidatorFold => {
  const forged = forgedInMyName(state, event);
  if (forged) return refused(forged);
  switch (event.type) {
    case 'CompetitionCreated':
    case 'CompetitionUpdated':
    case 'CompetitionActivated':
    case 'CompetitionDeactivated':
      return foldCompetition(state, event);
    case 'JobCreated':
    case 'JobTimedOut':
    case 'JobCancelled':
      return foldJob(state, event);
    case 'EvaluationClaimed':
    case 'EvaluationStarted':
    case 'EvaluationCompleted':
    case 'EvaluationFailed':
    case 'EvaluationCancelled':
      return foldEvaluation(state, event);
    case 'EpisodeStarted':
    case 'EpisodeRecorded':
    case 'EpisodeFailed':
      return foldEpisode(state, event);
    default:
      return nothing();
  }
};

/**
 * Folds one recorded event into the validator's knowledge, in place, and reports what it asks of the work stream.
 * Never throws. Deterministic: the same log gives the same state; an event folded before (redelivery, the overlap
 * between the start-up read and the live consumer) changes nothing and asks nothing. Time is the log's: each
 * event's recordedAt moves the clock, and waiting jobs past their deadline are dropped by it.
 */
export const foldValidator = (state: ValidatorState, event: RecordedEvent): ValidatorFold => {
  state.clock = later(state.clock, event.recordedAt);
  return sweep(state, foldOne(state, event));
};

/** foldValidator for a reduce. */
export const evolveValidator = (state: ValidatorState, event: RecordedEvent): ValidatorState => {
  foldValidator(state, event);
  return state;
};
