import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { isStorableText, newEvent, type EventData, type RecordedEvent, type RecordedEventOf } from '#contracts';
import { submissionIdFor } from '#domain';
import type { RunningScheduler } from './create-scheduler.js';
import { SCHEDULER_DURABLE } from './create-scheduler.js';
import { MINER, NETUID, rawCommitment, SchedulerTestBed, STRANGER, VALID_MANIFEST, VALIDATOR_A, VALIDATOR_B } from './testing/scheduler-test-bed.js';

const bench = (name: string, timeoutSeconds = 600) => ({
  name,
  provider: 'control' as const,
  tasks: ['reach', 'push'],
  episodesPerTask: 2,
  maxSteps: 50,
  timeoutSeconds,
});
const settings = (overrides: Record<string, unknown> = {}) => ({
  name: 'Test',
  benchmarks: [bench('reach'), bench('push')],
  weightShare: 1,
  maxRepoBytes: 10_000,
  submissionRateLimit: { count: 100, perSeconds: 3600 },
  ...overrides,
});

let bed: SchedulerTestBed;
let scheduler: RunningScheduler;
let agentSha: string;

const submissionOf = (commitment: RecordedEventOf<'CommitmentObserved'>) =>
  submissionIdFor(NETUID, commitment.data.hotkey, commitment.data.block, commitment.data.raw);

/** The submission's events, once it is decided. */
const decided = (commitment: RecordedEventOf<'CommitmentObserved'>) =>
  bed.until(`a decision on ${commitment.data.raw}`, (events) => {
    const mine = events.filter((e) => e.aggregate === 'submission' && e.aggregateId === submissionOf(commitment));
    return mine.some((e) => e.type !== 'SubmissionReceived') ? mine : undefined;
  });

const rejectionOf = async (commitment: RecordedEventOf<'CommitmentObserved'>) => {
  const events = await decided(commitment);
  return events.map((e) => (e.type === 'SubmissionRejected' ? `${e.type}:${e.data.reason}` : e.type));
};

beforeAll(async () => {
  bed = await SchedulerTestBed.start('scheduler');
  agentSha = await bed.hub.createRepo('miner/agent', { 'kinitro.json': VALID_MANIFEST, 'serve.py': 'print("hi")' });
  await bed.hub.createRepo('miner/no-manifest', { 'serve.py': 'print("hi")' });
  await bed.hub.createRepo('miner/nul-manifest', { 'kinitro.json': '\u0000{"name": "agent"}', 'serve.py': 'print("hi")' });
  await bed.hub.createRepo('miner/huge', { 'kinitro.json': VALID_MANIFEST, 'weights.bin': 'x'.repeat(20_000) });
  await bed.competition('mt10', settings());
  await bed.competition('closed', settings(), false);
  await bed.competition('quick', settings({ benchmarks: [bench('sprint', 1)] }));
  await bed.metagraph([{ hotkey: MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }, { hotkey: VALIDATOR_B, validatorPermit: true }]);
  scheduler = await bed.startScheduler();
});

afterAll(() => bed.dispose());

describe('scheduler app', () => {
  it('turns a commitment into SubmissionReceived, SubmissionAccepted and one JobCreated per benchmark', async () => {
    const commitment = await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: agentSha.slice(0, 10) }));
    const jobs = await bed.until('two jobs', (events) => {
      const created = events.filter(
        (e): e is RecordedEventOf<'JobCreated'> & RecordedEvent => e.type === 'JobCreated' && e.data.submissionId === submissionOf(commitment),
      );
      return created.length === 2 ? created : undefined;
    });
    const submission = await decided(commitment);
    expect(submission.map((e) => e.type)).toEqual(['SubmissionReceived', 'SubmissionAccepted']);
    expect(submission[1]!.data).toMatchObject({ revision: agentSha, repo: 'miner/agent', competitionId: 'mt10' });
    expect(submission[1]!.causationId).toBe(commitment.eventId);
    expect(jobs.map((j) => j.data.benchmark.name).sort()).toEqual(['push', 'reach']);
    expect(jobs[0]!.data).toMatchObject({ revision: agentSha, rerunOf: null, hotkey: MINER });
    expect(jobs[0]!.data.benchmark.seeds).toHaveLength(4);
    expect(jobs[0]!.producer.app).toBe('scheduler');
  });

  it.each([
    ['malformed_commitment', () => '0x6b313a6d7431303a'],
    ['unknown_competition', () => rawCommitment({ competitionId: 'nope', repo: 'miner/agent', revision: agentSha })],
    ['inactive_competition', () => rawCommitment({ competitionId: 'closed', repo: 'miner/agent', revision: agentSha })],
    ['repo_not_found', () => rawCommitment({ competitionId: 'mt10', repo: 'miner/ghost', revision: agentSha })],
    ['revision_not_found', () => rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: '0000000' })],
    ['too_large', () => rawCommitment({ competitionId: 'mt10', repo: 'miner/huge', revision: bed.hub.head('miner/huge')! })],
    ['no_manifest', () => rawCommitment({ competitionId: 'mt10', repo: 'miner/no-manifest', revision: bed.hub.head('miner/no-manifest')! })],
  ])('rejects %s, visibly', async (reason, raw) => {
    const outcome = await rejectionOf(await bed.commit(raw()));
    expect(outcome).toEqual(reason === 'malformed_commitment' ? [`SubmissionRejected:${reason}`] : ['SubmissionReceived', `SubmissionRejected:${reason}`]);
  });

  it('rejects a kinitro.json holding a NUL byte with a detail Postgres can store', async () => {
    const commitment = await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/nul-manifest', revision: bed.hub.head('miner/nul-manifest')! }));
    const [, rejected] = await decided(commitment);
    expect(rejected).toMatchObject({ type: 'SubmissionRejected', data: { reason: 'no_manifest' } });
    const { detail } = (rejected as RecordedEventOf<'SubmissionRejected'>).data;
    expect(isStorableText(detail)).toBe(true);
    expect(detail).toContain('kinitro.json: not valid JSON');
  });

  it('rejects an unregistered hotkey', async () => {
    const outcome = await rejectionOf(await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: agentSha }), STRANGER));
    expect(outcome).toEqual(['SubmissionReceived', 'SubmissionRejected:unregistered_hotkey']);
  });

  it('rejects the same (hotkey, competition, revision) again as a duplicate, and a miner over the rate limit', async () => {
    await bed.competition('tight', settings({ submissionRateLimit: { count: 1, perSeconds: 3600 } }));
    const first = await bed.commit(rawCommitment({ competitionId: 'tight', repo: 'miner/agent', revision: agentSha }));
    expect((await decided(first)).map((e) => e.type)).toEqual(['SubmissionReceived', 'SubmissionAccepted']);
    expect(await rejectionOf(await bed.commit(rawCommitment({ competitionId: 'tight', repo: 'miner/agent', revision: agentSha.slice(0, 7) })))).toEqual([
      'SubmissionReceived',
      'SubmissionRejected:duplicate',
    ]);
    const next = await bed.hub.commit('miner/agent', { 'serve.py': 'print("v2")' });
    expect(await rejectionOf(await bed.commit(rawCommitment({ competitionId: 'tight', repo: 'miner/agent', revision: next })))).toEqual([
      'SubmissionReceived',
      'SubmissionRejected:rate_limited',
    ]);
  });

  it.each([
    ['down', { kind: 'down' }, 3],
    ['slower than the request timeout', { kind: 'slow', delayMs: 2_500 }, 2],
  ] as const)('keeps a submission pending while the Hub is %s, retrying, and accepts it once the Hub is back', async (what, fault, tries) => {
    const sha = await bed.hub.commit('miner/agent', { 'serve.py': `print("${what}")` });
    bed.hub.setFault(fault);
    const before = bed.hub.requests.length;
    const commitment = await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: sha }));
    await bed.until('the submission received', (events) => events.some((e) => e.type === 'SubmissionReceived' && e.aggregateId === submissionOf(commitment)));
    await bed.until(`${tries} tries`, () => bed.hub.requests.length >= before + tries);
    const pending = (await bed.events()).filter((e) => e.aggregateId === submissionOf(commitment));
    expect(pending.map((e) => e.type)).toEqual(['SubmissionReceived']);
    bed.hub.setFault({ kind: 'none' });
    expect((await decided(commitment)).map((e) => e.type)).toEqual(['SubmissionReceived', 'SubmissionAccepted']);
  });

  it('times out exactly the validator that is late, from the deadline in the job', async () => {
    const commitment = await bed.commit(rawCommitment({ competitionId: 'quick', repo: 'miner/agent', revision: agentSha }));
    const job = await bed.until('the sprint job', (events) =>
      events.find((e): e is RecordedEventOf<'JobCreated'> & RecordedEvent => e.type === 'JobCreated' && e.data.submissionId === submissionOf(commitment)),
    );
    const { jobId } = job.data;
    for (const type of ['EvaluationClaimed', 'EvaluationStarted', 'EvaluationCompleted'] as const) await bed.evaluation(type, jobId, VALIDATOR_A);
    await bed.evaluation('EvaluationClaimed', jobId, VALIDATOR_B);
    const timedOut = await bed.until('a timeout', (events) => {
      const found = events.filter((e) => e.type === 'JobTimedOut' && e.data.jobId === jobId);
      return found.length > 0 ? found : undefined;
    });
    expect(timedOut.map((e) => e.data)).toEqual([{ jobId, validator: VALIDATOR_B, deadline: job.data.deadline }]);
    expect(Date.parse(timedOut[0]!.recordedAt)).toBeGreaterThanOrEqual(Date.parse(job.data.deadline));
  });

  it('reruns a submission’s jobs referencing the originals, and cancels a job on request', async () => {
    const sha = await bed.hub.commit('miner/agent', { 'serve.py': 'print("v4")' });
    const commitment = await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: sha }));
    const submissionId = submissionOf(commitment);
    await rejectionOf(commitment);
    const originals = await bed.until('original jobs', (events) => {
      const found = events.filter((e) => e.type === 'JobCreated' && e.data.submissionId === submissionId) as RecordedEventOf<'JobCreated'>[];
      return found.length === 2 ? found : undefined;
    });
    const push = originals.find((j) => j.data.benchmark.name === 'push')!;
    await bed.request(newEvent('RerunRequested', { requestId: randomUUID(), requestedBy: 'op', submissionId, benchmarks: ['push'], jobId: null }));
    const rerun = await bed.until(
      'the rerun',
      (events) => events.find((e) => e.type === 'JobCreated' && e.data.rerunOf === push.data.jobId) as RecordedEventOf<'JobCreated'> | undefined,
    );
    expect(rerun.data).toMatchObject({ submissionId, benchmark: { name: 'push' } });
    await bed.request(newEvent('JobCancellationRequested', { requestId: randomUUID(), requestedBy: 'op', jobId: rerun.data.jobId, reason: 'wrong seeds' }));
    const cancelled = await bed.until('the cancellation', (events) => events.find((e) => e.type === 'JobCancelled' && e.data.jobId === rerun.data.jobId));
    expect(cancelled.data as EventData<'JobCancelled'>).toEqual({ jobId: rerun.data.jobId, reason: 'wrong seeds', requestedBy: 'op' });
  });

  it('appends nothing twice: the same chain fact again, and the whole log redelivered to a fresh consumer after a restart', async () => {
    const sha = await bed.hub.commit('miner/agent', { 'serve.py': 'print("v5")' });
    const commitment = await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: sha.slice(0, 12) }));
    await decided(commitment);
    await bed.commit(commitment.data.raw, MINER, undefined, commitment.data.block);
    const settle = async () => {
      const last = (await bed.nats.jsm.streams.info(bed.topology.eventsStream)).state.last_seq;
      for (;;) {
        const info = await bed.nats.jsm.consumers.info(bed.topology.eventsStream, SCHEDULER_DURABLE);
        if (info.ack_floor.stream_seq >= last && info.num_pending === 0 && info.num_ack_pending === 0) return last;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const last = await settle();
    const ofSubmission = (await bed.events()).filter(
      (e) => e.aggregateId === submissionOf(commitment) || (e.type === 'JobCreated' && e.data.submissionId === submissionOf(commitment)),
    );
    expect(ofSubmission.map((e) => e.type)).toEqual(['SubmissionReceived', 'SubmissionAccepted', 'JobCreated', 'JobCreated']);
    await bed.stopScheduler(scheduler);
    await bed.nats.jsm.consumers.delete(bed.topology.eventsStream, SCHEDULER_DURABLE);
    scheduler = await bed.startScheduler();
    expect(await settle()).toBe(last);
    expect((await bed.nats.jsm.streams.info(bed.topology.eventsStream)).state.last_seq).toBe(last);
  });
});
