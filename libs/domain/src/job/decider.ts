import { benchmarkSpecSchema, isoDateSchema, newEvent, type NewEvent } from '#contracts';
import { keepingState, unapplied, type Decider, type Explaining, type RecordedOneOf, type Unapplied } from '../decider.js';
import { DomainError } from '../errors.js';
import { isTerminal } from '../evaluation/state.js';
import { parseOrInvalid } from '../validation.js';
import type { JobCommand } from './commands.js';
import { deriveSeeds } from './seeds.js';
import type { JobState } from './state.js';

type JobEventType = 'JobCreated' | 'JobTimedOut' | 'JobCancelled';

const open = (state: JobState, command: string): Extract<JobState, { status: 'open' }> => {
  if (state.status === 'absent') throw new DomainError('not_found', 'job not found');
  if (state.status === 'cancelled') throw new DomainError('conflict', `cannot ${command} a cancelled job`, { status: state.status });
  return state;
};

function apply(state: JobState, event: RecordedOneOf<JobEventType>): JobState | Unapplied {
  switch (event.type) {
    case 'JobCreated':
      if (state.status !== 'absent') return unapplied(`JobCreated for job ${state.jobId}, which exists`);
      return { status: 'open', jobId: event.data.jobId, deadline: event.data.deadline, timedOut: [] };
    case 'JobTimedOut':
      if (state.status !== 'open') return unapplied(`JobTimedOut for a job that is ${state.status}`);
      if (state.timedOut.includes(event.data.validator)) return unapplied(`JobTimedOut: ${event.data.validator} already timed out`);
      return { ...state, timedOut: [...state.timedOut, event.data.validator] };
    case 'JobCancelled':
      if (state.status !== 'open') return unapplied(`JobCancelled for a job that is ${state.status}`);
      return { ...state, status: 'cancelled', reason: event.data.reason };
    default:
      return unapplied(`${(event as { type: string }).type} is not a job event`);
  }
}

const addSeconds = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/**
 * A job freezes one benchmark of an accepted submission for every validator. It times out per validator
 * (the others are unaffected) and can be cancelled as a whole; a cancelled job refuses everything.
 */
export const jobDecider: Decider<JobCommand, JobState, JobEventType> & Explaining<JobState, JobEventType> = {
  aggregate: 'job',
  initialState: () => ({ status: 'absent' }),

  decide(command, state): NewEvent[] {
    switch (command.type) {
      case 'CreateJob': {
        if (state.status !== 'absent') throw new DomainError('conflict', `job ${state.jobId} already exists`, { jobId: state.jobId });
        const { type: _type, benchmark, causedAt, rerunOf, ...job } = command;
        const spec = parseOrInvalid(benchmarkSpecSchema, benchmark, 'benchmark', 'benchmark');
        const cause = parseOrInvalid(isoDateSchema, causedAt, 'cause time', 'causedAt');
        return [
          newEvent('JobCreated', {
            ...job,
            benchmark: { ...spec, seeds: deriveSeeds(command.jobId, spec) },
            deadline: addSeconds(cause, spec.timeoutSeconds),
            rerunOf: rerunOf ?? null,
          }),
        ];
      }
      case 'TimeOutJob': {
        const job = open(state, 'time out');
        if (isTerminal(command.evaluationStatus)) {
          throw new DomainError('conflict', `the evaluation of ${command.validator} is already ${command.evaluationStatus}`, {
            validator: command.validator,
            status: command.evaluationStatus,
          });
        }
        if (job.timedOut.includes(command.validator)) {
          throw new DomainError('conflict', `${command.validator} already timed out`, { validator: command.validator });
        }
        if (Date.parse(command.now) < Date.parse(job.deadline)) {
          throw new DomainError('conflict', `the deadline ${job.deadline} has not passed`, { deadline: job.deadline });
        }
        return [newEvent('JobTimedOut', { jobId: job.jobId, validator: command.validator, deadline: job.deadline })];
      }
      case 'CancelJob': {
        const job = open(state, 'cancel');
        return [newEvent('JobCancelled', { jobId: job.jobId, reason: command.reason, requestedBy: command.by })];
      }
    }
  },

  apply,
  evolve: keepingState(apply),
};
