import { describe, expect, it } from '@jest/globals';
import { deriveEventId, deriveId, newEvent, type RecordedEvent, type RecordedEventOf } from '#contracts';
import { deriveSeeds } from '../job/seeds.js';
import { jobIdFor, rerunJobIdFor } from './ids.js';
import { onCancellationRequested, onRerunRequested, onSubmissionAccepted } from './jobs.js';
import { judgeSubmission, onCommitment } from './submissions.js';
import { benchmarkSpec, SchedulerWorld, SHA } from './testing/world.js';

/** A world with one accepted submission; returns its SubmissionAccepted. */
const accepted = (world = new SchedulerWorld().competition().metagraph()) => {
  const commitment = world.commit();
  const plan = onCommitment(world.state, commitment);
  world.apply(plan.kind === 'inspect' ? plan.decisions : []);
  const [acceptedEvent] = world.apply(judgeSubmission(world.state, commitment, { kind: 'found', revision: SHA, repoBytes: 10, manifest: { ok: true } }));
  return { world, accepted: acceptedEvent as RecordedEventOf<'SubmissionAccepted'> };
};

const created = (events: RecordedEvent[]) => events.filter((e) => e.type === 'JobCreated').map((e) => e.data);

const rerun = (world: SchedulerWorld, submissionId: string, target: { benchmarks?: string[]; jobId?: string } = {}) =>
  world.record(
    'request',
    deriveId('request', String(world.events.length)),
    newEvent('RerunRequested', {
      requestId: deriveId('request', String(world.events.length)),
      requestedBy: 'op',
      submissionId,
      benchmarks: target.benchmarks ?? null,
      jobId: target.jobId ?? null,
    }),
  );

describe('scheduler: jobs', () => {
  it('creates one job per benchmark of the competition, with the frozen spec, seeds from the job id and a deadline from the acceptance', () => {
    const { world, accepted: event } = accepted();
    world.advance(5);
    const decisions = onSubmissionAccepted(world.state, event);
    const jobs = created(world.apply(decisions));
    const { submissionId } = event.data;
    expect(jobs.map((j) => j.jobId)).toEqual([jobIdFor(submissionId, 'reach'), jobIdFor(submissionId, 'push')]);
    expect(jobs[0]).toMatchObject({
      submissionId,
      competitionId: 'mt10',
      repo: 'miner/agent',
      revision: SHA,
      rerunOf: null,
      benchmark: { ...benchmarkSpec('reach'), seeds: deriveSeeds(jobs[0]!.jobId, benchmarkSpec('reach')) },
      deadline: new Date(Date.parse(event.recordedAt) + 600_000).toISOString(),
    });
    expect(jobs[1]!.deadline).toBe(new Date(Date.parse(event.recordedAt) + 1_200_000).toISOString());
    expect(decisions.flatMap((d) => d.events.map((e) => e.eventId))).toEqual([
      deriveEventId(event.eventId, 'JobCreated', jobs[0]!.jobId),
      deriveEventId(event.eventId, 'JobCreated', jobs[1]!.jobId),
    ]);
  });

  it('creates nothing again for a redelivered acceptance', () => {
    const { world, accepted: event } = accepted();
    world.apply(onSubmissionAccepted(world.state, event));
    expect(onSubmissionAccepted(world.state, event)).toEqual([]);
  });

  describe('reruns', () => {
    const withJobs = () => {
      const { world, accepted: event } = accepted();
      const jobs = created(world.apply(onSubmissionAccepted(world.state, event)));
      world.advance(100);
      return { world, submissionId: event.data.submissionId, jobs };
    };

    it('reruns every original job of a submission, referencing it, with new seeds and a deadline from the request', () => {
      const { world, submissionId, jobs } = withJobs();
      const request = rerun(world, submissionId);
      const plan = onRerunRequested(world.state, request);
      const reruns = created(world.apply(plan.decisions));
      expect(plan.skipped).toEqual([]);
      expect(reruns.map((j) => j.rerunOf)).toEqual(jobs.map((j) => j.jobId));
      expect(reruns.map((j) => j.jobId)).toEqual(jobs.map((j) => rerunJobIdFor(request.data.requestId, j.jobId)));
      expect(reruns[0]!.benchmark.seeds).not.toEqual(jobs[0]!.benchmark.seeds);
      expect(reruns[0]!.deadline).toBe(new Date(Date.parse(request.recordedAt) + 600_000).toISOString());
      expect(onRerunRequested(world.state, request).decisions).toEqual([]);
    });

    it('reruns only the named benchmarks, and nothing of a request naming a benchmark the submission does not have', () => {
      const { world, submissionId, jobs } = withJobs();
      const plan = onRerunRequested(world.state, rerun(world, submissionId, { benchmarks: ['push'] }));
      expect(created(world.apply(plan.decisions)).map((j) => j.rerunOf)).toEqual([jobs[1]!.jobId]);
      expect(onRerunRequested(world.state, rerun(world, submissionId, { benchmarks: ['push', 'nope'] }))).toEqual({
        decisions: [],
        skipped: [`submission ${submissionId} has no benchmark nope`],
      });
    });

    it('reruns one job, even a rerun, referencing that job', () => {
      const { world, submissionId, jobs } = withJobs();
      const first = created(world.apply(onRerunRequested(world.state, rerun(world, submissionId, { jobId: jobs[0]!.jobId })).decisions));
      const second = created(world.apply(onRerunRequested(world.state, rerun(world, submissionId, { jobId: first[0]!.jobId })).decisions));
      expect(first.map((j) => j.rerunOf)).toEqual([jobs[0]!.jobId]);
      expect(second.map((j) => j.rerunOf)).toEqual([first[0]!.jobId]);
    });

    it('skips a rerun of an unknown submission or of a job of another submission', () => {
      const { world, jobs } = withJobs();
      const unknown = deriveId('nope');
      expect(onRerunRequested(world.state, rerun(world, unknown)).skipped).toEqual([`submission ${unknown} not found`]);
      const { world: other, accepted: otherAccepted } = accepted();
      const foreign = otherAccepted.data.submissionId;
      expect(onRerunRequested(other.state, rerun(other, foreign, { jobId: jobs[0]!.jobId })).skipped).toEqual([
        `job ${jobs[0]!.jobId} is not a job of submission ${foreign}`,
      ]);
    });
  });

  describe('cancellations', () => {
    const cancel = (world: SchedulerWorld, jobId: string) =>
      world.record(
        'request',
        deriveId('cancel', String(world.events.length)),
        newEvent('JobCancellationRequested', { requestId: deriveId('cancel', String(world.events.length)), requestedBy: 'op', jobId }),
      );

    it('skips cancelling a job nobody knows', () => {
      const { world } = accepted();
      const unknown = deriveId('nope');
      expect(onCancellationRequested(world.state, cancel(world, unknown))).toEqual({ decisions: [], skipped: [`job ${unknown} not found`] });
    });

    it('cancels an open job once; a second request is skipped', () => {
      const { world, accepted: event } = accepted();
      const [job] = created(world.apply(onSubmissionAccepted(world.state, event)));
      const first = onCancellationRequested(world.state, cancel(world, job!.jobId));
      expect(world.apply(first.decisions).map((e) => [e.type, e.data])).toEqual([
        ['JobCancelled', { jobId: job!.jobId, reason: 'cancelled by op', requestedBy: 'op' }],
      ]);
      expect(onCancellationRequested(world.state, cancel(world, job!.jobId))).toEqual({ decisions: [], skipped: [`job ${job!.jobId} is already cancelled`] });
    });
  });
});
