import { isTerminal } from '../evaluation/state.js';
import type { ScheduledJob } from './state.js';

/** Awaited validators with neither a terminal evaluation nor a timeout yet, in a stable order. */
export const waitingOn = (job: ScheduledJob): string[] =>
  [...job.awaited].filter((validator) => !isTerminal(job.validators.get(validator)?.evaluation.status ?? 'QUEUED')).sort();
