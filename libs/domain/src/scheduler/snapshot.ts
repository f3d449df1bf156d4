import type { CompetitionState } from '../competition/state.js';
import type { Neuron } from '../metagraph.js';
import type { ScheduledJob, SchedulerState, Tracked, TrackedSubmission, ValidatorProgress } from './state.js';

/**
 * The version of SchedulerState's shape and of what `foldScheduler` puts into it. Bump it with any change to
 * state.ts or evolve.ts that makes an old state mean something else: a snapshot of another version is ignored and
 * the state rebuilt from the log.
 */
export const SCHEDULER_STATE_VERSION = 1;

type Entries<V> = [string, V][];

/** SchedulerState as plain JSON: every Map an array of entries, every Set an array, in insertion order. */
export interface SchedulerStateJson {
  netuid: number;
  clock: string | null;
  competitions: Entries<Tracked<CompetitionState>>;
  metagraph: { lastSequence: number; block: number; neurons: Entries<Neuron> } | null;
  commitments: Entries<string>;
  submissions: Entries<TrackedSubmission>;
  submissionsByMiner: Entries<string[]>;
  jobs: Entries<Omit<ScheduledJob, 'awaited' | 'validators'> & { awaited: string[]; validators: Entries<ValidatorProgress> }>;
  watched: string[];
  jobsBySubmission: Entries<string[]>;
}

/** Insertion order is kept: it is part of the state (jobsBySubmission, the order waiting validators are scanned in). */
export const schedulerStateToJson = (state: SchedulerState): SchedulerStateJson => ({
  netuid: state.netuid,
  clock: state.clock,
  competitions: [...state.competitions],
  metagraph: state.metagraph && { lastSequence: state.metagraph.lastSequence, block: state.metagraph.block, neurons: [...state.metagraph.neurons] },
  commitments: [...state.commitments],
  submissions: [...state.submissions],
  submissionsByMiner: [...state.submissionsByMiner].map(([key, ids]) => [key, [...ids]]),
  jobs: [...state.jobs].map(([id, job]) => [id, { ...job, awaited: [...job.awaited], validators: [...job.validators] }]),
  watched: [...state.watched],
  jobsBySubmission: [...state.jobsBySubmission],
});

export const schedulerStateFromJson = (json: SchedulerStateJson): SchedulerState => ({
  netuid: json.netuid,
  clock: json.clock,
  competitions: new Map(json.competitions),
  metagraph: json.metagraph && { lastSequence: json.metagraph.lastSequence, block: json.metagraph.block, neurons: new Map(json.metagraph.neurons) },
  commitments: new Map(json.commitments),
  submissions: new Map(json.submissions),
  submissionsByMiner: new Map(json.submissionsByMiner.map(([key, ids]) => [key, new Set(ids)])),
  jobs: new Map(json.jobs.map(([id, job]) => [id, { ...job, awaited: new Set(job.awaited), validators: new Map(job.validators) }])),
  watched: new Set(json.watched),
  jobsBySubmission: new Map(json.jobsBySubmission),
});
