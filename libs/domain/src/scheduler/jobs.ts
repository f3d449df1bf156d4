import type { BenchmarkSpec, EventData, RecordedEventOf } from '#contracts';
import { jobDecider } from '../job/decider.js';
import { causedBy, decision, type Decision } from './decision.js';
import { jobIdFor, rerunJobIdFor } from './ids.js';
import { cancellationRefusal, rerunRuling, type RerunFacts } from './request-rules.js';
import type { SchedulerState } from './state.js';
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

/** The submission and its jobs as the scheduler folded them: the facts the rerun rule reads. */
const rerunFacts = (state: SchedulerState, submissionId: string): RerunFacts => {
  const submission = state.submissions.get(submissionId)?.state;
  const jobs = (state.jobsBySubmission.get(submissionId) ?? []).map((id) => state.jobs.get(id)!.created);
  return {
    submissionId,
    submission:
      !submission || submission.status === 'absent'
        ? null
        : { status: submission.status, jobs: jobs.map(({ jobId, benchmark, rerunOf }) => ({ jobId, benchmarkName: benchmark.name, rerunOf })) },
  };
};

/**
 * A rerun creates a new job for every job it names, with that job's benchmark spec (new seeds from the new job
 * id, a deadline from the request's recordedAt) and `rerunOf` pointing at it.
 */
export const onRerunRequested = (state: SchedulerState, event: RecordedEventOf<'RerunRequested'>): JobPlan => {
  const request = event.data;
  const ruling = rerunRuling(rerunFacts(state, request.submissionId), request);
  if (!ruling.ok) return { decisions: [], skipped: [ruling.refusal.message] };
  const decisions = ruling.value
    .map((targetId) => ({ target: state.jobs.get(targetId)!, jobId: rerunJobIdFor(request.requestId, targetId) }))
    .filter(({ jobId }) => !state.jobs.has(jobId))
    .map(({ target, jobId }) => {
      const { submissionId, competitionId, hotkey, repo, revision, benchmark } = target.created;
      return createJob(jobId, { submissionId, competitionId, hotkey, repo, revision }, unfrozen(benchmark), event, target.created.jobId);
    });
  return { decisions, skipped: [] };
};

/** Cancels an open job for everyone; a request the cancellation rule refuses (unknown job, cancelled already) is skipped. */
export const onCancellationRequested = (state: SchedulerState, event: RecordedEventOf<'JobCancellationRequested'>): JobPlan => {
  const { jobId, reason, requestedBy } = event.data;
  const job = state.jobs.get(jobId)?.state;
  const refusal = cancellationRefusal({ jobId, job: job && job.status !== 'absent' ? { cancelled: job.status === 'cancelled' } : null });
  if (refusal) return { decisions: [], skipped: [refusal.message] };
  // Known and not cancelled: open, the only other status.
  const events = jobDecider.decide({ type: 'CancelJob', reason: reason || `cancelled by ${requestedBy}`, by: requestedBy }, job!);
  return { decisions: [decision('job', jobId, events, causedBy(event))], skipped: [] };
};
