import type { EventData, Fault, VerdictKind } from '#contracts';
import type { CompetitionState } from '../competition/state.js';
import type { EvaluationState } from '../evaluation/state.js';
import { NEW_AGGREGATE, type Position, type Tracked } from '../scheduler/state.js';

/** What the validator knows of a job: the JobCreated as created, and what happened to it since. */
export interface ValidatorJob {
  created: EventData<'JobCreated'>;
  /** The JobCreated: the cause of this validator's claim. */
  createdEventId: string;
  correlationId: string;
  /** The JobCreated's stream sequence. */
  sequence: number;
  /** The JobCancelled, once cancelled. */
  cancelled: { eventId: string; sequence: number } | null;
  /** The scheduler timed this validator out of the job. */
  timedOut: boolean;
}

/** One recorded episode of the plan, as the summary uses it. */
export interface RecordedEpisode {
  success: boolean;
  totalReward: number;
  eventId: string;
}

/** The first EpisodeFailed of an open evaluation: what its EvaluationFailed reports. */
export interface EpisodeFailure {
  eventId: string;
  sequence: number;
  episodeId: string;
  task: string;
  episodeIndex: number;
  seed: number;
  attempt: number;
  evaluator: string;
  verdict: VerdictKind;
  fault: Fault;
  reason: string;
  stderrTail: string;
}

/** One evaluation of this validator: the aggregate as its decider folds it, and its episodes while it is open. */
export interface TrackedEvaluation extends Tracked<EvaluationState> {
  evaluationId: string;
  jobId: string;
  plannedEpisodes: number;
  /** The competition's repo limit when the claim was folded (null: the competition was unknown, nothing is planned). */
  maxRepoBytes: number | null;
  /** Who ran the first episode heard of, and that event: what EvaluationStarted names. */
  firstActivity: { evaluator: string; eventId: string } | null;
  /** Recorded episodes by slot: a duplicate EpisodeRecorded lands on the same slot. */
  recorded: Map<number, RecordedEpisode>;
  /** Slots an EpisodeFailed gave up on. */
  failedSlots: Set<number>;
  failure: EpisodeFailure | null;
  /** The event that recorded the last missing episode, and its sequence (null until every planned episode is recorded). */
  completedBy: { eventId: string; sequence: number } | null;
}

/**
 * What one validator knows, folded from the log only: competitions, jobs, its own evaluations and their episodes.
 * Another validator's evaluations and episodes are not its business.
 */
export interface ValidatorState {
  /** This validator's ss58 address: the evaluations and episodes it folds are the ones naming it. */
  readonly validator: string;
  /** Open evaluations at once (VALIDATOR_MAX_EVALUATIONS). */
  readonly maxEvaluations: number;
  /** The log's clock: the latest recordedAt folded (null before the first event). */
  clock: string | null;
  competitions: Map<string, Tracked<CompetitionState>>;
  jobs: Map<string, ValidatorJob>;
  /** Jobs not claimed yet, in the order they were created (FIFO). */
  waiting: string[];
  evaluations: Map<string, TrackedEvaluation>;
  /** Evaluations that are STARTING or RUNNING: what capacity counts. */
  open: Set<string>;
}

export const initialValidatorState = (validator: string, maxEvaluations: number): ValidatorState => {
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < 1) throw new RangeError(`maxEvaluations must be a positive integer, got ${maxEvaluations}`);
  return { validator, maxEvaluations, clock: null, competitions: new Map(), jobs: new Map(), waiting: [], evaluations: new Map(), open: new Set() };
};

/** The position to append an evaluation's next events at: where the validator last saw it, or "must be new". */
export const evaluationPosition = (state: ValidatorState, evaluationId: string): Position => state.evaluations.get(evaluationId)?.position ?? NEW_AGGREGATE;
