import { describe, expect, it } from '@jest/globals';
import { deriveEventId, newEvent, type EventData, type RecordedEventOf } from '#contracts';
import { dueTimeouts, nextDeadline } from './deadlines.js';
import { onSubmissionAccepted } from './jobs.js';
import { judgeSubmission, onCommitment } from './submissions.js';
import { MINER, SchedulerWorld, SHA, VALIDATOR_A, VALIDATOR_B, VALIDATOR_C } from './testing/world.js';

/** A world with validators A and B holding permits, one accepted submission and its two jobs (600 s and 1200 s). */
const withJobs = (neurons = [{ hotkey: MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }, { hotkey: VALIDATOR_B, validatorPermit: true }]) => {
  const world = new SchedulerWorld().competition().metagraph(neurons);
  const commitment = world.commit();
  const plan = onCommitment(world.state, commitment);
  world.apply(plan.kind === 'inspect' ? plan.decisions : []);
  const [accepted] = world.apply(judgeSubmission(world.state, commitment, { kind: 'found', revision: SHA, repoBytes: 1, manifest: { ok: true } }));
  const jobs = world.apply(onSubmissionAccepted(world.state, accepted as RecordedEventOf<'SubmissionAccepted'>)) as RecordedEventOf<'JobCreated'>[];
  return { world, reach: jobs[0]!, push: jobs[1]! };
};

const timedOut = (world: SchedulerWorld) =>
  world.apply(dueTimeouts(world.state, world.time)).map((e) => [(e.data as EventData<'JobTimedOut'>).jobId, (e.data as EventData<'JobTimedOut'>).validator]);

describe('scheduler: deadlines with the log as the clock', () => {
  it('times out exactly the late validator: the one that completed is left alone', () => {
    const { world, reach } = withJobs();
    world.evaluation('EvaluationClaimed', reach.data.jobId, VALIDATOR_A);
    world.evaluation('EvaluationStarted', reach.data.jobId, VALIDATOR_A);
    world.evaluation('EvaluationCompleted', reach.data.jobId, VALIDATOR_A);
    world.evaluation('EvaluationClaimed', reach.data.jobId, VALIDATOR_B);
    world.evaluation('EvaluationStarted', reach.data.jobId, VALIDATOR_B);
    world.advance(600);
    expect(timedOut(world)).toEqual([[reach.data.jobId, VALIDATOR_B]]);
  });

  it('waits for permit holders that never claimed, and for claimants without a permit', () => {
    const { world, reach } = withJobs();
    world.evaluation('EvaluationClaimed', reach.data.jobId, VALIDATOR_C);
    world.advance(600);
    expect(timedOut(world)).toEqual([
      [reach.data.jobId, VALIDATOR_A],
      [reach.data.jobId, VALIDATOR_B],
      [reach.data.jobId, VALIDATOR_C],
    ]);
  });

  it('records the deadline, derives each id from (job, validator), and decides nothing before the deadline or twice', () => {
    const { world, reach, push } = withJobs([{ hotkey: MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }]);
    world.advance(599);
    expect(dueTimeouts(world.state, world.time)).toEqual([]);
    world.advance(1);
    const [decision] = dueTimeouts(world.state, world.time);
    expect(decision!.events).toEqual([
      {
        type: 'JobTimedOut',
        data: { jobId: reach.data.jobId, validator: VALIDATOR_A, deadline: reach.data.deadline },
        eventId: deriveEventId(reach.eventId, 'JobTimedOut', VALIDATOR_A),
      },
    ]);
    world.apply([decision!]);
    expect(dueTimeouts(world.state, world.time)).toEqual([]);
    expect(nextDeadline(world.state)).toBe(push.data.deadline);
  });

  it('times out nobody on a cancelled job, and nobody that failed or completed', () => {
    const { world, reach, push } = withJobs([{ hotkey: MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }]);
    world.record('job', reach.data.jobId, newEvent('JobCancelled', { jobId: reach.data.jobId, reason: 'x', requestedBy: 'op' }));
    world.evaluation('EvaluationClaimed', push.data.jobId, VALIDATOR_A);
    world.evaluation('EvaluationFailed', push.data.jobId, VALIDATOR_A);
    world.advance(5000);
    expect(dueTimeouts(world.state, world.time)).toEqual([]);
    expect(nextDeadline(world.state)).toBeNull();
  });

  it('waits for nobody when no validator holds a permit and none claimed', () => {
    const { world } = withJobs([{ hotkey: MINER }]);
    world.advance(5000);
    expect(dueTimeouts(world.state, world.time)).toEqual([]);
  });
});
