import type { EventType, RecordedEvent } from '#contracts';
import { competitionDecider } from '../competition/decider.js';
import type { CompetitionState } from '../competition/state.js';
import type { RecordedOneOf } from '../decider.js';
import { evaluationDecider } from '../evaluation/decider.js';
import { jobDecider } from '../job/decider.js';
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
const isNew = (tracked: Tracked<unknown> | undefined, event: RecordedEvent): boolean =>
  !tracked || event.streamSequence > tracked.position.lastSequence;

const foldCompetition = (state: SchedulerState, event: Of<'CompetitionCreated' | 'CompetitionUpdated' | 'CompetitionActivated' | 'CompetitionDeactivated'>) => {
  const tracked = state.competitions.get(event.data.competitionId);
  if (!isNew(tracked, event)) return;
  const current: CompetitionState = tracked?.state ?? competitionDecider.initialState();
  state.competitions.set(event.data.competitionId, { state: competitionDecider.evolve(current, event), position: after(event) });
};

const foldMetagraph = (state: SchedulerState, event: Of<'MetagraphSynced'>) => {
  if (event.data.netuid !== state.netuid || (state.metagraph && state.metagraph.lastSequence >= event.streamSequence)) return;
  state.metagraph = {
    lastSequence: event.streamSequence,
    block: event.data.block,
    neurons: new Map(event.data.neurons.map((n) => [n.hotkey, { uid: n.uid, validatorPermit: n.validatorPermit }])),
  };
};

const foldSubmission = (state: SchedulerState, event: Of<'SubmissionReceived' | 'SubmissionAccepted' | 'SubmissionRejected'>) => {
  const { submissionId, hotkey, commitmentEventId } = event.data;
  const tracked = state.submissions.get(submissionId);
  if (!isNew(tracked, event)) return;
  state.submissions.set(submissionId, {
    state: submissionDecider.evolve(tracked?.state ?? submissionDecider.initialState(), event),
    position: after(event),
    committedAt: tracked?.committedAt ?? state.commitments.get(commitmentEventId) ?? event.recordedAt,
  });
  state.commitments.delete(commitmentEventId);
  if (event.data.competitionId !== null) {
    const key = minerKey(hotkey, event.data.competitionId);
    state.submissionsByMiner.set(key, (state.submissionsByMiner.get(key) ?? new Set()).add(submissionId));
  }
};

/** Remembers when a commitment was recorded until its submission is folded (which keeps the time from then on). */
const foldCommitment = (state: SchedulerState, event: Of<'CommitmentObserved'>) => {
  const { netuid, hotkey, block, raw } = event.data;
  if (netuid !== state.netuid || state.submissions.has(submissionIdFor(netuid, hotkey, block, raw))) return;
  state.commitments.set(event.eventId, event.recordedAt);
};

const permitHolders = (state: SchedulerState): Set<string> =>
  new Set([...(state.metagraph?.neurons ?? new Map())].filter(([, n]) => n.validatorPermit).map(([hotkey]) => hotkey));

const foldJob = (state: SchedulerState, event: Of<'JobCreated' | 'JobTimedOut' | 'JobCancelled'>) => {
  const { jobId } = event.data;
  const existing = state.jobs.get(jobId);
  if (!isNew(existing, event)) return;
  if (event.type === 'JobCreated') {
    state.jobs.set(jobId, {
      state: jobDecider.evolve(jobDecider.initialState(), event),
      position: after(event),
      created: event.data,
      createdEventId: event.eventId,
      correlationId: event.correlationId,
      awaited: permitHolders(state),
      validators: new Map(),
    });
    state.jobsBySubmission.set(event.data.submissionId, [...(state.jobsBySubmission.get(event.data.submissionId) ?? []), jobId]);
    watch(state, state.jobs.get(jobId)!);
    return;
  }
  if (!existing) return;
  existing.state = jobDecider.evolve(existing.state, event);
  existing.position = after(event);
  if (event.type === 'JobTimedOut') foldProgress(existing, event.data.validator, event);
  watch(state, existing);
};

/** Keeps `watched` exact: an open job is watched while an awaited validator has no terminal result. */
const watch = (state: SchedulerState, job: ScheduledJob) => {
  if (job.state.status === 'open' && waitingOn(job).length > 0) state.watched.add(job.created.jobId);
  else state.watched.delete(job.created.jobId);
};

const foldProgress = (job: ScheduledJob, validator: string, event: Of<'JobTimedOut' | EvaluationEventType>) => {
  const progress: ValidatorProgress = job.validators.get(validator) ?? { evaluation: evaluationDecider.initialState(), lastSequence: 0 };
  if (event.streamSequence <= progress.lastSequence) return;
  job.validators.set(validator, { evaluation: evaluationDecider.evolve(progress.evaluation, event), lastSequence: event.streamSequence });
};

type EvaluationEventType = 'EvaluationClaimed' | 'EvaluationStarted' | 'EvaluationCompleted' | 'EvaluationFailed' | 'EvaluationCancelled';

const foldEvaluation = (state: SchedulerState, event: Of<EvaluationEventType>) => {
  const job = state.jobs.get(event.data.jobId);
  if (!job) return;
  job.awaited.add(event.data.validator);
  foldProgress(job, event.data.validator, event);
  watch(state, job);
};

/**
 * Folds one recorded event into the scheduler's knowledge. Deterministic: the same events in the same order give
 * the same state; an event already folded (same or lower sequence for its aggregate) changes nothing, so
 * redeliveries and the overlap between the start-up read and the live consumer are harmless. The state is updated
 * in place (and returned) so that folding a long log stays linear.
 */
export const evolveScheduler = (state: SchedulerState, event: RecordedEvent): SchedulerState => {
  state.clock = later(state.clock, event.recordedAt);
  switch (event.type) {
    case 'CompetitionCreated':
    case 'CompetitionUpdated':
    case 'CompetitionActivated':
    case 'CompetitionDeactivated':
      foldCompetition(state, event);
      break;
    case 'MetagraphSynced':
      foldMetagraph(state, event);
      break;
    case 'CommitmentObserved':
      foldCommitment(state, event);
      break;
    case 'SubmissionReceived':
    case 'SubmissionAccepted':
    case 'SubmissionRejected':
      foldSubmission(state, event);
      break;
    case 'JobCreated':
    case 'JobTimedOut':
    case 'JobCancelled':
      foldJob(state, event);
      break;
    case 'EvaluationClaimed':
    case 'EvaluationStarted':
    case 'EvaluationCompleted':
    case 'EvaluationFailed':
    case 'EvaluationCancelled':
      foldEvaluation(state, event);
      break;
    default:
      break;
  }
  return state;
};
