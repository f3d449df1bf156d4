import { isTerminal } from '../evaluation/state.js';
import { jobDecider } from '../job/decider.js';
import { decision, type Decision } from './decision.js';
import type { ScheduledJob, SchedulerState } from './state.js';

/** Awaited validators with neither a terminal evaluation nor a timeout yet. */
const waitingOn = (job: ScheduledJob): string[] =>
  [...job.awaited].filter((validator) => !isTerminal(job.validators.get(validator)?.evaluation.status ?? 'QUEUED')).sort();

const openJobs = (state: SchedulerState): ScheduledJob[] => [...state.jobs.values()].filter((job) => job.state.status === 'open');

/**
 * JobTimedOut for every awaited validator without a terminal result once `now` has passed the job's deadline,
 * one event per late validator (the others are unaffected). Each id derives from (job, validator) alone, so
 * deciding it again from any later event, or from the quiet-log tick, appends nothing twice.
 */
export const dueTimeouts = (state: SchedulerState, now: string): Decision[] =>
  openJobs(state)
    .filter((job) => job.state.status === 'open' && Date.parse(job.state.deadline) <= Date.parse(now))
    .map((job) => ({ job, late: waitingOn(job) }))
    .filter(({ late }) => late.length > 0)
    .map(({ job, late }) =>
      decision(
        'job',
        job.created.jobId,
        late.flatMap((validator) =>
          jobDecider.decide({ type: 'TimeOutJob', validator, evaluationStatus: job.validators.get(validator)?.evaluation.status ?? 'QUEUED', now }, job.state),
        ),
        { causationId: job.createdEventId, correlationId: job.correlationId },
        (event) => (event.data as { validator: string }).validator,
      ),
    );

/** The earliest deadline that still has someone to time out: what the quiet-log tick waits for. */
export const nextDeadline = (state: SchedulerState): string | null =>
  openJobs(state)
    .filter((job) => waitingOn(job).length > 0)
    .map((job) => (job.state as { deadline: string }).deadline)
    .reduce<string | null>((earliest, d) => (earliest === null || Date.parse(d) < Date.parse(earliest) ? d : earliest), null);
