import type { EventType, RecordedEvent } from '#contracts';
import { trackCompetition, type CompetitionEvent } from '../competition/tracking.js';
import type { RecordedOneOf } from '../decider.js';
import { nextMetagraph } from '../metagraph.js';
import { describeRejection, judgeEvent, type JudgeView } from '../validation/judge.js';
import type { ScoringState, ValidatorResult } from './state.js';

/** Every event type scoring folds; a consumer subscribes to exactly these. */
export const scoringInputs = [
  'CompetitionCreated',
  'CompetitionUpdated',
  'CompetitionActivated',
  'CompetitionDeactivated',
  'MetagraphSynced',
  'SubmissionAccepted',
  'JobCreated',
  'EvaluationClaimed',
  'EvaluationCompleted',
] as const satisfies readonly EventType[];

type Of<T extends EventType> = RecordedOneOf<T>;
/** Why an event was not folded; undefined when it was, or was folded before, or is not scoring's concern. */
type Unfolded = string | undefined;

const foldCompetition = (state: ScoringState, event: CompetitionEvent): Unfolded => trackCompetition(state.competitions, event);

const foldMetagraph = (state: ScoringState, event: Of<'MetagraphSynced'>): Unfolded => {
  state.metagraph = nextMetagraph(state.metagraph, state.netuid, event) ?? state.metagraph;
  return undefined;
};

const foldSubmission = (state: ScoringState, event: Of<'SubmissionAccepted'>): Unfolded => {
  const { submissionId, hotkey, competitionId, repo, revision, block } = event.data;
  if (!state.submissions.has(submissionId)) {
    state.submissions.set(submissionId, { submissionId, hotkey, competitionId, repo, revision, block, sequence: event.streamSequence });
  }
  return undefined;
};

const foldJob = (state: ScoringState, event: Of<'JobCreated'>): Unfolded => {
  const { jobId, submissionId, benchmark } = event.data;
  if (state.jobs.has(jobId)) return undefined;
  if (!state.submissions.has(submissionId)) return `JobCreated ${jobId} for submission ${submissionId}, which scoring never saw accepted`;
  const { tasks, episodesPerTask, seeds } = benchmark;
  state.jobs.set(jobId, { jobId, submissionId, benchmark: benchmark.name, plan: { tasks, episodesPerTask, seeds }, sequence: event.streamSequence });
  state.jobsBySubmission.set(submissionId, [...(state.jobsBySubmission.get(submissionId) ?? []), jobId]);
  return undefined;
};

/** What the judge asks, answered from scoring's fold. */
const judgeView = (state: ScoringState): JudgeView => ({
  benchmark: (jobId) => state.jobs.get(jobId)?.plan,
  hasPermit: (validator) => state.metagraph?.neurons.get(validator)?.validatorPermit === true,
  claimed: (evaluationId, jobId, validator) => {
    const claim = state.claims.get(evaluationId);
    return claim?.jobId === jobId && claim.validator === validator;
  },
});

const foldClaim = (state: ScoringState, event: Of<'EvaluationClaimed'>): Unfolded => {
  const { evaluationId, jobId, validator } = event.data;
  if (!state.claims.has(evaluationId)) state.claims.set(evaluationId, { jobId, validator });
  return undefined;
};

const foldResult = (state: ScoringState, event: Of<'EvaluationCompleted'>): Unfolded => {
  const { jobId, validator, episodes, successRate, meanReward } = event.data;
  const byValidator = state.results.get(jobId) ?? new Map<string, ValidatorResult>();
  if (byValidator.has(validator)) return `result of ${validator} for job ${jobId} is a duplicate; the first one counts`;
  byValidator.set(validator, { validator, episodes, successes: Math.round(successRate * episodes), meanReward, sequence: event.streamSequence });
  state.results.set(jobId, byValidator);
  return undefined;
};

/**
 * Folds one recorded event into what scoring knows and says why when it does not count it: a validator-side event
 * the judge rejects (libs/domain/src/validation: unsigned, forged, no permit at that point of the log, not the job's
 * plan), or a duplicate result. Never throws;
 * the state is updated in place; the same events in the same order give the same state, and an event folded
 * again changes nothing.
 */
export const foldScoring = (state: ScoringState, event: RecordedEvent): Unfolded => {
  state.sequence = Math.max(state.sequence, event.streamSequence);
  if (event.type === 'EvaluationClaimed' || event.type === 'EvaluationCompleted') {
    const rejection = judgeEvent(event, judgeView(state));
    if (rejection) return `${event.type} of ${event.data.validator} for job ${event.data.jobId} not counted: ${describeRejection(rejection)}`;
  }
  switch (event.type) {
    case 'CompetitionCreated':
    case 'CompetitionUpdated':
    case 'CompetitionActivated':
    case 'CompetitionDeactivated':
      return foldCompetition(state, event);
    case 'MetagraphSynced':
      return foldMetagraph(state, event);
    case 'SubmissionAccepted':
      return foldSubmission(state, event);
    case 'JobCreated':
      return foldJob(state, event);
    case 'EvaluationClaimed':
      return foldClaim(state, event);
    case 'EvaluationCompleted':
      return foldResult(state, event);
    default:
      return undefined;
  }
};

/** foldScoring for a reduce. */
export const evolveScoring = (state: ScoringState, event: RecordedEvent): ScoringState => {
  foldScoring(state, event);
  return state;
};
