import { describe, expect, it } from '@jest/globals';
import { deriveId, newEvent, type RecordedEventOf } from '#contracts';
import { dueTimeouts, nextDeadline } from './deadlines.js';
import { evolveScheduler } from './evolve.js';
import { onCancellationRequested, onRerunRequested, onSubmissionAccepted } from './jobs.js';
import { schedulerStateFromJson, schedulerStateToJson } from './snapshot.js';
import { initialSchedulerState, type SchedulerState } from './state.js';
import { judgeSubmission, onCommitment } from './submissions.js';
import { MINER, NETUID, OTHER_MINER, rawCommitment, SchedulerWorld, SHA, VALIDATOR_A, VALIDATOR_C } from './testing/world.js';

const found = { kind: 'found' as const, revision: SHA, repoBytes: 10, manifest: { ok: true as const } };

/** Commit, and let the Hub answer `findings`: a submission accepted (with its jobs), rejected, or left pending. */
const submit = (world: SchedulerWorld, raw: string, hotkey: string, findings: Parameters<typeof judgeSubmission>[2] | 'pending') => {
  const commitment = world.commit(raw, hotkey);
  const plan = onCommitment(world.state, commitment);
  if (plan.kind === 'ignore') return [];
  world.apply(plan.decisions);
  if (plan.kind !== 'inspect' || findings === 'pending') return [];
  const [verdict] = world.apply(judgeSubmission(world.state, commitment, findings));
  return verdict?.type === 'SubmissionAccepted' ? (world.apply(onSubmissionAccepted(world.state, verdict)) as RecordedEventOf<'JobCreated'>[]) : [];
};

/** A log with every kind of thing the state holds: competitions, two metagraphs, pending/accepted/rejected submissions, jobs in every stage, a rerun, a cancellation, timeouts. */
const realisticWorld = () => {
  const world = new SchedulerWorld().competition('mt10').competition('closed', {}, false).metagraph();
  const [reach, push] = submit(world, rawCommitment(), MINER, found);
  world.metagraph([{ hotkey: MINER }, { hotkey: OTHER_MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }, { hotkey: VALIDATOR_C, validatorPermit: true }]);
  const [later] = submit(world, rawCommitment({ revision: SHA.slice(0, 12) }), OTHER_MINER, found);
  submit(world, rawCommitment({ competitionId: 'closed' }), MINER, found);
  submit(world, rawCommitment({ repo: 'miner/other' }), OTHER_MINER, 'pending');
  world.commit('0x00', MINER);
  world.evaluation('EvaluationClaimed', reach!.data.jobId, VALIDATOR_A);
  world.evaluation('EvaluationStarted', reach!.data.jobId, VALIDATOR_A);
  world.evaluation('EvaluationCompleted', reach!.data.jobId, VALIDATOR_A);
  world.evaluation('EvaluationClaimed', push!.data.jobId, VALIDATOR_C);
  world.evaluation('EvaluationFailed', later!.data.jobId, VALIDATOR_A);
  const requestId = deriveId('request', 'rerun');
  const rerun = world.record(
    'request',
    requestId,
    newEvent('RerunRequested', { requestId, requestedBy: 'op', submissionId: reach!.data.submissionId, benchmarks: ['reach'], jobId: null }),
  );
  world.apply(onRerunRequested(world.state, rerun).decisions);
  const cancelId = deriveId('request', 'cancel');
  const cancel = world.record('request', cancelId, newEvent('JobCancellationRequested', { requestId: cancelId, requestedBy: 'op', jobId: later!.data.jobId }));
  world.apply(onCancellationRequested(world.state, cancel).decisions);
  world.advance(700);
  world.apply(dueTimeouts(world.state, world.time));
  return world;
};

const throughJson = (state: SchedulerState): SchedulerState => schedulerStateFromJson(JSON.parse(JSON.stringify(schedulerStateToJson(state))));

describe('scheduler state snapshots', () => {
  it('round-trips a state built from a realistic log, Maps and Sets included', () => {
    const world = realisticWorld();
    const { state } = world;
    // The world holds what the test claims it does, so the round trip is not checked on an empty state.
    expect([state.competitions.size, state.submissions.size, state.jobs.size, state.commitments.size]).toEqual([2, 4, 5, 1]);
    expect([...state.jobs.values()].some((job) => job.validators.size > 1 || job.awaited.size > 1)).toBe(true);
    expect(state.metagraph!.neurons.size).toBe(4);
    const restored = throughJson(state);
    expect(restored).toEqual(state);
    expect(restored.jobs.values().next().value!.awaited).toBeInstanceOf(Set);
    expect(restored.submissionsByMiner.values().next().value).toBeInstanceOf(Set);
    expect([...restored.jobsBySubmission]).toEqual([...state.jobsBySubmission]);
    expect(nextDeadline(restored)).toBe(nextDeadline(state));
  });

  it('a snapshot taken mid-log and folded with the tail equals the whole log folded', () => {
    const world = realisticWorld();
    const whole = world.events.reduce(evolveScheduler, initialSchedulerState(NETUID));
    for (const cut of [1, 7, Math.floor(world.events.length / 2), world.events.length - 1]) {
      const head = world.events.slice(0, cut).reduce(evolveScheduler, initialSchedulerState(NETUID));
      const resumed = world.events.slice(cut).reduce(evolveScheduler, throughJson(head));
      expect(resumed).toEqual(whole);
    }
    // And decisions made from a restored state are the ones made from the live one.
    expect(dueTimeouts(throughJson(whole), '2030-01-01T00:00:00.000Z')).toEqual(dueTimeouts(whole, '2030-01-01T00:00:00.000Z'));
  });

  it('keeps an empty state as it is', () => {
    expect(throughJson(initialSchedulerState(3))).toEqual(initialSchedulerState(3));
  });
});
