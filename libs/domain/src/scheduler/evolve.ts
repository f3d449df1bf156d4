import type { EventType, RecordedEvent } from '#contracts';
import { trackCompetition, type CompetitionEvent } from '../competition/tracking.js';
import { isUnapplied, type Explaining, type RecordedOneOf } from '../decider.js';
import { evaluationDecider } from '../evaluation/decider.js';
import { jobDecider } from '../job/decider.js';
import { nextMetagraph } from '../metagraph.js';
import { submissionIdFor } from './ids.js';
import { waitingOn } from './waiting.js';
import { submissionDecider } from '../submission/decider.js';
import { minerKey, type Position, type ScheduledJob, type SchedulerState, type Tracked, type ValidatorProgress } from './state.js';

/** Every event type the scheduler folds; the app subscribes to exactly these. */
export const schedulerInputs = [
  'CompetitionCreated',
  'CompetitionUpdated',
  'CompetitionActivated',
  'CompetitionDeactivated',
  'MetagraphSynced',
  'CommitmentObserved',
  'SubmissionReceived',
  'SubmissionAccepted',
  'SubmissionRejected',
  'JobCreated',
  'JobTimedOut',
  'JobCancelled',
  'EvaluationClaimed',
  'EvaluationStarted',
  'EvaluationCompleted',
  'EvaluationFailed',
  'EvaluationCancelled',
  'RerunRequested',
  'JobCancellationRequested',
] as const satisfies readonly EventType[];

type Of<T extends EventType> = RecordedOneOf<T>;

const later = (a: string | null, b: string): string => (a === null || Date.parse(b) > Date.parse(a) ? b : a);

const after = (event: RecordedEvent): Position => ({ version: event.aggregateVersion, lastSequence: event.streamSequence });

/** An event at or below the aggregate's last folded sequence was folded already (redelivery, bootstrap overlap). */
const isNew = (tracked: Tracked<unknown> | undefined, event: RecordedEvent): boolean => !tracked || event.streamSequence > tracked.position.lastSequence;

/** Why an event could not be folded; undefined when it was folded, or folded before, or is not the scheduler's concern. */
type Unfolded = string | undefined;

/** Folds with the aggregate's own rules; an event they refuse leaves `state` as it was and reports why. */
const applied = <S, E extends EventType>(decider: Explaining<S, E>, state: S, event: RecordedOneOf<E>, keep: (next: S) => void): Unfolded => {
  const next = decider.apply(state, event as never);
  if (isUnapplied(next)) return next.unapplied;
  keep(next);
  return undefined;
};

const foldCompetition = (state: SchedulerState, event: CompetitionEvent): Unfolded => trackCompetition(state.competitions, event);

const foldMetagraph = (state: SchedulerState, event: Of<'MetagraphSynced'>) => {
  state.metagraph = nextMetagraph(state.metagraph, state.netuid, event) ?? state.metagraph;
};

const foldSubmission = (state: SchedulerState, event: Of<'SubmissionReceived' | 'SubmissionAccepted' | 'SubmissionRejected'>): Unfolded => {
  const { submissionId, hotkey, commitmentEventId } = event.data;
  const tracked = state.submissions.get(submissionId);
  if (!isNew(tracked, event)) return undefined;
  return applied(submissionDecider, tracked?.state ?? submissionDecider.initialState(), event, (next) => {
    state.submissions.set(submissionId, {
      state: next,
      position: after(event),
      committedAt: tracked?.committedAt ?? state.commitments.get(commitmentEventId) ?? event.recordedAt,
    });
    state.commitments.delete(commitmentEventId);
    if (event.data.competitionId !== null) {
      const key = minerKey(hotkey, event.data.competitionId);
      state.submissionsByMiner.set(key, (state.submissionsByMiner.get(key) ?? new Set()).add(submissionId));
    }
  });
};

/** Remembers when a commitment was recorded until its submission is folded (which keeps the time from then on). */
const foldCommitment = (state: SchedulerState, event: Of<'CommitmentObserved'>) => {
  const { netuid, hotkey, block, raw } = event.data;
  if (netuid !== state.netuid || state.submissions.has(submissionIdFor(netuid, hotkey, block, raw))) return;
  state.commitments.set(event.eventId, event.recordedAt);
};

const permitHolders = (state: SchedulerState): Set<string> =>
  new Set([...(state.metagraph?.neurons ?? [])].filter(([, n]) => n.validatorPermit).map(([hotkey]) => hotkey));

const foldJob = (state: SchedulerState, event: Of<'JobCreated' | 'JobTimedOut' | 'JobCancelled'>): Unfolded => {
  const { jobId } = event.data;
  const existing = state.jobs.get(jobId);
  if (!isNew(existing, event)) return undefined;
  if (event.type === 'JobCreated') {
    return applied(jobDecider, existing?.state ?? jobDecider.initialState(), event, (next) => {
      state.jobs.set(jobId, {
        state: next,
        position: after(event),
        created: event.data,
        createdEventId: event.eventId,
        correlationId: event.correlationId,
        awaited: permitHolders(state),
        validators: new Map(),
      });
      state.jobsBySubmission.set(event.data.submissionId, [...(state.jobsBySubmission.get(event.data.submissionId) ?? []), jobId]);
      watch(state, state.jobs.get(jobId)!);
    });
  }
  if (!existing) return `${event.type} for job ${jobId}, which the scheduler never created`;
  return applied(jobDecider, existing.state, event, (next) => {
    existing.state = next;
    existing.position = after(event);
    if (event.type === 'JobTimedOut') foldProgress(existing, event.data.validator, event);
    watch(state, existing);
  });
};

/** Keeps `watched` exact: an open job is watched while an awaited validator has no terminal result. */
const watch = (state: SchedulerState, job: ScheduledJob) => {
  if (job.state.status === 'open' && waitingOn(job).length > 0) state.watched.add(job.created.jobId);
  else state.watched.delete(job.created.jobId);
};

const foldProgress = (job: ScheduledJob, validator: string, event: Of<'JobTimedOut' | EvaluationEventType>): Unfolded => {
  const progress: ValidatorProgress = job.validators.get(validator) ?? { evaluation: evaluationDecider.initialState(), lastSequence: 0 };
  if (event.streamSequence <= progress.lastSequence) return undefined;
  return applied(evaluationDecider, progress.evaluation, event, (next) =>
    job.validators.set(validator, { evaluation: next, lastSequence: event.streamSequence }),
  );
};

type EvaluationEventType = 'EvaluationClaimed' | 'EvaluationStarted' | 'EvaluationCompleted' | 'EvaluationFailed' | 'EvaluationCancelled';

const foldEvaluation = (state: SchedulerState, event: Of<EvaluationEventType>): Unfolded => {
  const job = state.jobs.get(event.data.jobId);
  if (!job) return `${event.type} for job ${event.data.jobId}, which the scheduler never created`;
  const unfolded = foldProgress(job, event.data.validator, event);
  if (unfolded === undefined) job.awaited.add(event.data.validator);
  watch(state, job);
  return unfolded;
};

/**
 * Folds one recorded event into the scheduler's knowledge and says why when it cannot (the event names a job the
 * scheduler never created, a transition the rules never decide, ...): the state is then left as it was, and the
 * caller records the reason. Never throws. Deterministic: the same events in the same order give the same state;
 * an event already folded (same or lower sequence for its aggregate) changes nothing, so redeliveries and the
 * overlap between the start-up read and the live consumer are harmless. The state is updated in place so that
 * folding a long log stays linear.
 */
export const foldScheduler = (state: SchedulerState, event: RecordedEvent): Unfolded => {
  state.clock = later(state.clock, event.recordedAt);
  switch (event.type) {
    case 'CompetitionCreated':
    case 'CompetitionUpdated':
    case 'CompetitionActivated':
    case 'CompetitionDeactivated':
      return foldCompetition(state, event);
    case 'MetagraphSynced':
      foldMetagraph(state, event);
      return undefined;
    case 'CommitmentObserved':
      foldCommitment(state, event);
      return undefined;
    case 'SubmissionReceived':
    case 'SubmissionAccepted':
    case 'SubmissionRejected':
      return foldSubmission(state, event);
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
    default:
      return undefined;
  }
};

/** foldScheduler for a reduce: the state, whatever could not be folded left out. */
export const evolveScheduler = (state: SchedulerState, event: RecordedEvent): SchedulerState => {
  foldScheduler(state, event);
  return state;
};
