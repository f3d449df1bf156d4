import { jobDecider } from '../job/decider.js';
import { decision, type Decision } from './decision.js';
import type { ScheduledJob, SchedulerState } from './state.js';
import { waitingOn } from './waiting.js';

const watchedJobs = (state: SchedulerState): ScheduledJob[] => [...state.watched].map((id) => state.jobs.get(id)!);

/**
 * JobTimedOut for every awaited validator without a terminal result once `now` has passed the job's deadline,
 * one event per late validator (the others are unaffected). Each id derives from (job, validator) alone, so
 * deciding it again from any later event, or from the quiet-log tick, appends nothing twice.
 */
export const dueTimeouts = (state: SchedulerState, now: string): Decision[] =>
  watchedJobs(state)
    .filter((job) => job.state.status === 'open' && Date.parse(job.state.deadline) <= Date.parse(now))
    .map((job) => ({ job, late: waitingOn(job) }))
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
  watchedJobs(state)
    .map((job) => (job.state as { deadline: string }).deadline)
    .reduce<string | null>((earliest, d) => (earliest === null || Date.parse(d) < Date.parse(earliest) ? d : earliest), null);
