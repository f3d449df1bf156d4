import { FAILURE_DETAIL_MAX_CHARS, newEvent, sanitizeText, STDERR_TAIL_MAX_CHARS, type NewEvent } from '#contracts';
import { keepingState, unapplied, type Decider, type Explaining, type RecordedOneOf, type Unapplied } from '../decider.js';
import { DomainError } from '../errors.js';
import type { EvaluationCommand } from './commands.js';
import { evaluationIdFor } from './ids.js';
import { isTerminal, type EvaluationRef, type EvaluationState, type EvaluationStatus } from './state.js';

type EvaluationEventType = 'EvaluationClaimed' | 'EvaluationStarted' | 'EvaluationCompleted' | 'EvaluationFailed' | 'EvaluationCancelled' | 'JobTimedOut';

/** The statuses each command may leave; anything else is an illegal transition. */
const allowedFrom: Record<EvaluationCommand['type'], readonly EvaluationStatus[]> = {
  ClaimEvaluation: ['QUEUED'],
  StartEvaluation: ['STARTING'],
  CompleteEvaluation: ['RUNNING'],
  FailEvaluation: ['STARTING', 'RUNNING'],
  CancelEvaluation: ['STARTING', 'RUNNING'],
};

/** The command each evaluation event records, so a fold accepts exactly the transitions `decide` makes. */
const commandOf: Record<Exclude<EvaluationEventType, 'JobTimedOut'>, EvaluationCommand['type']> = {
  EvaluationClaimed: 'ClaimEvaluation',
  EvaluationStarted: 'StartEvaluation',
  EvaluationCompleted: 'CompleteEvaluation',
  EvaluationFailed: 'FailEvaluation',
  EvaluationCancelled: 'CancelEvaluation',
};

const sameEvaluation = (state: EvaluationState, ref: EvaluationRef): boolean =>
  state.status === 'QUEUED' || (state.evaluationId === ref.evaluationId && state.jobId === ref.jobId && state.validator === ref.validator);

function apply(state: EvaluationState, event: RecordedOneOf<EvaluationEventType>): EvaluationState | Unapplied {
  if (event.type === 'JobTimedOut') {
    // Another validator's timeout, or one that lost the race to a result: nothing to fold, nothing wrong.
    const { jobId, validator } = event.data;
    const otherEvaluation = state.status !== 'QUEUED' && (state.jobId !== jobId || state.validator !== validator);
    if (otherEvaluation || isTerminal(state.status)) return state;
    return { status: 'TIMEOUT', evaluationId: evaluationIdFor(jobId, validator), jobId, validator };
  }
  const command = commandOf[event.type];
  if (!command) return unapplied(`${(event as { type: string }).type} is not an evaluation event`);
  if (!allowedFrom[command].includes(state.status)) {
    return unapplied(`${event.type} for an evaluation that is ${state.status}${state.status === 'QUEUED' ? ' (never claimed)' : ''}`);
  }
  if (!sameEvaluation(state, event.data))
    return unapplied(`${event.type} names evaluation ${event.data.evaluationId}, not ${(state as EvaluationRef).evaluationId}`);
  const ref: EvaluationRef = { evaluationId: event.data.evaluationId, jobId: event.data.jobId, validator: event.data.validator };
  switch (event.type) {
    case 'EvaluationClaimed':
      return { status: 'STARTING', ...ref };
    case 'EvaluationStarted':
      return { status: 'RUNNING', ...ref, evaluator: event.data.evaluator };
    case 'EvaluationCompleted': {
      const { episodes, successRate, meanReward } = event.data;
      return { status: 'COMPLETED', ...ref, episodes, successRate, meanReward };
    }
    case 'EvaluationFailed':
      return { status: 'FAILED', ...ref, reason: event.data.reason, fault: event.data.fault };
    case 'EvaluationCancelled':
      return { status: 'CANCELLED', ...ref };
  }
}

const refOf = (state: EvaluationState): EvaluationRef => {
  if (state.status === 'QUEUED') throw new Error('an unclaimed evaluation has no reference');
  return { evaluationId: state.evaluationId, jobId: state.jobId, validator: state.validator };
};

/**
 * QUEUED → STARTING → RUNNING → COMPLETED | FAILED | TIMEOUT | CANCELLED, one aggregate per (job, validator).
 * TIMEOUT is decided by the job (JobTimedOut lives on the job's subject): a caller that folds that event in
 * as well sees the evaluation as timed out and is refused any later transition.
 */
export const evaluationDecider: Decider<EvaluationCommand, EvaluationState, EvaluationEventType> & Explaining<EvaluationState, EvaluationEventType> = {
  aggregate: 'evaluation',
  initialState: () => ({ status: 'QUEUED' }),

  decide(command, state): NewEvent[] {
    if (!allowedFrom[command.type].includes(state.status)) {
      throw new DomainError('conflict', `illegal transition: cannot ${command.type} an evaluation that is ${state.status}`, {
        from: state.status,
        command: command.type,
      });
    }
    switch (command.type) {
      case 'ClaimEvaluation': {
        const { jobId, validator, plannedEpisodes } = command;
        const planned = plannedEpisodes === undefined ? {} : { plannedEpisodes };
        return [newEvent('EvaluationClaimed', { evaluationId: evaluationIdFor(jobId, validator), jobId, validator, ...planned })];
      }
      case 'StartEvaluation':
        return [newEvent('EvaluationStarted', { ...refOf(state), evaluator: command.evaluator })];
      case 'CompleteEvaluation': {
        const { type: _type, ...summary } = command;
        return [newEvent('EvaluationCompleted', { ...refOf(state), ...summary })];
      }
      case 'FailEvaluation': {
        // The detail quotes the agent's or the sandbox's output: foreign text, made storable and bounded.
        const detail = sanitizeText(command.detail, FAILURE_DETAIL_MAX_CHARS);
        const { verdict, episodeId, stderrTail } = command;
        const episode = {
          ...(verdict === undefined ? {} : { verdict }),
          ...(episodeId === undefined ? {} : { episodeId }),
          ...(stderrTail === undefined ? {} : { stderrTail: sanitizeText(stderrTail, STDERR_TAIL_MAX_CHARS) }),
        };
        return [newEvent('EvaluationFailed', { ...refOf(state), reason: command.reason, fault: command.fault, detail, ...episode })];
      }
      case 'CancelEvaluation':
        return [newEvent('EvaluationCancelled', refOf(state))];
    }
  },

  apply,
  evolve: keepingState(apply),
};
