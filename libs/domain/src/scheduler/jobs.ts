import type { BenchmarkSpec, EventData, RecordedEventOf } from '#contracts';
import { jobDecider } from '../job/decider.js';
import { causedBy, decision, type Decision } from './decision.js';
import { jobIdFor, rerunJobIdFor } from './ids.js';
import type { ScheduledJob, SchedulerState } from './state.js';
import { settingsOf } from './submissions.js';

/** What a job's decisions report: the appends, and requests it could not honour (logged by the app). */
export interface JobPlan {
  decisions: Decision[];
  skipped: string[];
}

type Frozen = EventData<'JobCreated'>['benchmark'];

const unfrozen = ({ seeds: _seeds, ...spec }: Frozen): BenchmarkSpec => spec;

const createJob = (
  jobId: string,
  origin: Pick<EventData<'JobCreated'>, 'submissionId' | 'competitionId' | 'hotkey' | 'repo' | 'revision'>,
  benchmark: BenchmarkSpec,
  cause: RecordedEventOf<'SubmissionAccepted' | 'RerunRequested'>,
  rerunOf: string | null,
): Decision =>
  decision(
    'job',
    jobId,
    jobDecider.decide({ type: 'CreateJob', jobId, ...origin, benchmark, causedAt: cause.recordedAt, rerunOf }, jobDecider.initialState()),
    causedBy(cause),
    () => jobId,
  );

/**
 * One JobCreated per benchmark of the competition, with the spec as it stands when the acceptance is handled;
 * seeds come from the job id and the deadline from the acceptance's recordedAt. Jobs that exist are not created again.
 */
export const onSubmissionAccepted = (state: SchedulerState, event: RecordedEventOf<'SubmissionAccepted'>): Decision[] => {
  const { submissionId, competitionId, hotkey, repo, revision } = event.data;
  if (!state.competitions.has(competitionId)) return [];
  return settingsOf(state, competitionId)
    .benchmarks.map((benchmark) => ({ benchmark, jobId: jobIdFor(submissionId, benchmark.name) }))
    .filter(({ jobId }) => !state.jobs.has(jobId))
    .map(({ benchmark, jobId }) => createJob(jobId, { submissionId, competitionId, hotkey, repo, revision }, benchmark, event, null));
};

const originalJobs = (state: SchedulerState, submissionId: string): ScheduledJob[] =>
  (state.jobsBySubmission.get(submissionId) ?? []).map((id) => state.jobs.get(id)!).filter((job) => job.created.rerunOf === null);

/** The jobs a rerun request names: one job, some benchmarks of the submission, or all of its original jobs. */
const rerunTargets = (state: SchedulerState, request: EventData<'RerunRequested'>): { targets: ScheduledJob[]; skipped: string[] } => {
  if (request.jobId !== null) {
    const job = state.jobs.get(request.jobId);
    if (!job || job.created.submissionId !== request.submissionId) {
      return { targets: [], skipped: [`job ${request.jobId} is not a job of submission ${request.submissionId}`] };
    }
    return { targets: [job], skipped: [] };
  }
  const originals = originalJobs(state, request.submissionId);
  if (request.benchmarks === null) return { targets: originals, skipped: [] };
  const names = new Set(originals.map((job) => job.created.benchmark.name));
  return {
    targets: originals.filter((job) => request.benchmarks!.includes(job.created.benchmark.name)),
    skipped: request.benchmarks.filter((name) => !names.has(name)).map((name) => `submission ${request.submissionId} has no benchmark "${name}"`),
  };
};

/**
 * A rerun creates a new job for every job it names, with that job's benchmark spec (new seeds from the new job
 * id, a deadline from the request's recordedAt) and `rerunOf` pointing at it.
 */
export const onRerunRequested = (state: SchedulerState, event: RecordedEventOf<'RerunRequested'>): JobPlan => {
  const request = event.data;
  const submission = state.submissions.get(request.submissionId)?.state;
  if (submission?.status !== 'accepted') {
    return { decisions: [], skipped: [`submission ${request.submissionId} is ${submission?.status ?? 'unknown'}, not accepted`] };
  }
  const { targets, skipped } = rerunTargets(state, request);
  const decisions = targets
    .map((target) => ({ target, jobId: rerunJobIdFor(request.requestId, target.created.jobId) }))
    .filter(({ jobId }) => !state.jobs.has(jobId))
    .map(({ target, jobId }) => {
      const { submissionId, competitionId, hotkey, repo, revision, benchmark } = target.created;
      return createJob(jobId, { submissionId, competitionId, hotkey, repo, revision }, unfrozen(benchmark), event, target.created.jobId);
    });
  return { decisions, skipped };
};

/** Cancels an open job for everyone; a job that is unknown or already cancelled is skipped. */
export const onCancellationRequested = (state: SchedulerState, event: RecordedEventOf<'JobCancellationRequested'>): JobPlan => {
  const { jobId, reason, requestedBy } = event.data;
  const job = state.jobs.get(jobId);
  if (!job || job.state.status !== 'open') return { decisions: [], skipped: [`job ${jobId} is ${job?.state.status ?? 'unknown'}, not open`] };
  const events = jobDecider.decide({ type: 'CancelJob', reason: reason || `cancelled by ${requestedBy}`, by: requestedBy }, job.state);
  return { decisions: [decision('job', jobId, events, causedBy(event))], skipped: [] };
};
