import type { EventData } from '#contracts';
import type { CompetitionState } from '../competition/state.js';
import type { EvaluationState } from '../evaluation/state.js';
import type { JobState } from '../job/state.js';
import type { Metagraph } from '../metagraph.js';
import type { SubmissionState } from '../submission/state.js';

/** Where an aggregate stood after the last of its events the scheduler folded: the token for its next append. */
export interface Position {
  version: number;
  lastSequence: number;
}

export const NEW_AGGREGATE: Position = { version: 0, lastSequence: 0 };

/** An aggregate's state as its own decider folds it, with its position. */
export interface Tracked<S> {
  state: S;
  position: Position;
}

export interface TrackedSubmission extends Tracked<SubmissionState> {
  /** recordedAt of the CommitmentObserved it came from: the time the rate limit counts in. */
  committedAt: string;
}

/** One validator's side of a job, folded from its evaluation events and the job's JobTimedOut. */
export interface ValidatorProgress {
  evaluation: EvaluationState;
  /** Stream sequence of the last event applied (idempotency guard). */
  lastSequence: number;
}

export interface ScheduledJob extends Tracked<JobState> {
  created: EventData<'JobCreated'>;
  /** The JobCreated event: the cause of every timeout of this job. */
  createdEventId: string;
  correlationId: string;
  /**
   * Validators the job waits for: those holding a validator permit in the latest metagraph folded before the
   * job was created, plus every validator that claims it later (with or without a permit).
   */
  awaited: Set<string>;
  validators: Map<string, ValidatorProgress>;
}

/**
 * What the scheduler knows, folded from the event log only (never from another app's tables). One subnet per
 * scheduler: chain facts of other subnets are not its business.
 */
export interface SchedulerState {
  readonly netuid: number;
  /** The log's clock: the latest recordedAt folded (null before the first event). */
  clock: string | null;
  competitions: Map<string, Tracked<CompetitionState>>;
  /** The latest MetagraphSynced of the subnet, by stream order. */
  metagraph: Metagraph | null;
  /** recordedAt of the subnet's CommitmentObserved events that no submission event has consumed yet, by event id. */
  commitments: Map<string, string>;
  submissions: Map<string, TrackedSubmission>;
  /** Submission ids per `${hotkey}|${competitionId}`: what the rate limit and the duplicate check scan. */
  submissionsByMiner: Map<string, Set<string>>;
  jobs: Map<string, ScheduledJob>;
  /** Open jobs with an awaited validator that has no terminal result yet: the only jobs deadlines concern. */
  watched: Set<string>;
  /** Job ids per submission, in creation order. */
  jobsBySubmission: Map<string, string[]>;
}

export const initialSchedulerState = (netuid: number): SchedulerState => ({
  netuid,
  clock: null,
  competitions: new Map(),
  metagraph: null,
  commitments: new Map(),
  submissions: new Map(),
  submissionsByMiner: new Map(),
  jobs: new Map(),
  watched: new Set(),
  jobsBySubmission: new Map(),
});

export const minerKey = (hotkey: string, competitionId: string): string => `${hotkey}|${competitionId}`;

/** The position to append at: where the scheduler last saw the aggregate, or "must be new". */
export const positionOf = (state: SchedulerState, aggregate: 'submission' | 'job', aggregateId: string): Position =>
  (aggregate === 'submission' ? state.submissions.get(aggregateId) : state.jobs.get(aggregateId))?.position ?? NEW_AGGREGATE;
