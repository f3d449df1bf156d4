import { describe, expect, it } from '@jest/globals';
import { deriveEventId, type EventData, type EventType, type RecordedEvent } from '#contracts';
import { episodeIdFor, evaluationIdFor } from '../evaluation/ids.js';
import { decideValidator, type EvaluationDecision } from './decide.js';
import { replan, workToPlan } from './plan.js';
import { ME, OTHER, SHA, ValidatorWorld } from './testing/validator-world.js';

const typesOf = (decisions: EvaluationDecision[]) => decisions.map((d) => d.events.map((e) => e.type));
const dataOf = <T extends EventType>(decision: EvaluationDecision | undefined, type: T) => decision!.events.find((e) => e.type === type)!.data as EventData<T>;

/** A world with an active competition and one claimed job (its claim appended and folded). */
const claimed = (maxEvaluations = 4) => {
  const world = new ValidatorWorld(maxEvaluations).competition('mt10', { maxRepoBytes: 5_000 });
  const job = world.job('j1');
  world.apply(decideValidator(world.state));
  return { world, job: job.data, evaluationId: evaluationIdFor(job.data.jobId, ME) };
};

/** Appends what the validator decides until it decides nothing more, as the app does after each event. */
const settle = (world: ValidatorWorld): RecordedEvent[] => {
  const stored: RecordedEvent[] = [];
  for (let round = 0; round < 10; round++) {
    const decisions = decideValidator(world.state);
    if (decisions.length === 0) return stored;
    stored.push(...world.apply(decisions));
  }
  throw new Error('the validator kept deciding');
};

describe('validator: claiming jobs', () => {
  it('claims a job of an active competition with its planned episodes, at "must be new", caused by the JobCreated', () => {
    const world = new ValidatorWorld().competition();
    const job = world.job('j1');
    const [decision, ...rest] = decideValidator(world.state);
    const evaluationId = evaluationIdFor(job.data.jobId, ME);
    expect(rest).toEqual([]);
    expect(decision).toEqual({
      evaluationId,
      events: [
        {
          type: 'EvaluationClaimed',
          data: { evaluationId, jobId: job.data.jobId, validator: ME, plannedEpisodes: 4 },
          eventId: deriveEventId(job.eventId, 'EvaluationClaimed', evaluationId),
        },
      ],
      expected: { version: 0, lastSequence: 0 },
      causationId: job.eventId,
      correlationId: job.correlationId,
    });
  });

  it('plans one work item per seed, task-major, once the claim is folded, and nothing again on its redelivery', () => {
    const { world, job, evaluationId } = claimed();
    const items = world.lastFold.publish;
    expect(items.map((i) => [i.slot, i.task, i.episodeIndex, i.seed, i.episodeId])).toEqual([
      [0, 'reach', 0, job.benchmark.seeds[0], episodeIdFor(evaluationId, 0)],
      [1, 'reach', 1, job.benchmark.seeds[1], episodeIdFor(evaluationId, 1)],
      [2, 'push', 0, job.benchmark.seeds[2], episodeIdFor(evaluationId, 2)],
      [3, 'push', 1, job.benchmark.seeds[3], episodeIdFor(evaluationId, 3)],
    ]);
    expect(items[0]).toMatchObject({
      kind: 'episode',
      version: 1,
      evaluationId,
      jobId: job.jobId,
      validator: ME,
      plannedEpisodes: 4,
      repo: 'miner/agent',
      revision: SHA,
      benchmark: job.benchmark,
      deadline: job.deadline,
      maxRepoBytes: 5_000,
    });
    expect(world.redeliver(world.events.at(-1)!)).toEqual({ publish: [], withdraw: [], dropped: [] });
    expect(decideValidator(world.state)).toEqual([]);
  });

  it('claims nothing twice: a redelivered JobCreated after the claim decides nothing', () => {
    const { world } = claimed();
    world.redeliver(world.events.find((e) => e.type === 'JobCreated')!);
    expect(decideValidator(world.state)).toEqual([]);
  });

  it('drops, saying why, a job of an inactive competition, one past its deadline by the log clock, and one of a closed competition', () => {
    const world = new ValidatorWorld().competition('off', {}, false).competition('closed', { endsAt: '2026-03-01T12:30:00.000Z' }).competition();
    world.job('inactive', 600, 'off');
    expect(world.lastFold.dropped).toEqual([expect.stringMatching(/competition "off", which is not active/)]);
    const late = world.job('late', 5);
    world.advance(5).job('other', 600, 'nope');
    expect(world.lastFold.dropped).toEqual([
      `job ${late.data.jobId} passed its deadline ${late.data.deadline} before this validator could claim it`,
      expect.stringMatching(/competition "nope", which this validator does not know/),
    ]);
    world.advance(30 * 60).job('after-close', 6000, 'closed');
    expect(world.lastFold.dropped).toEqual([expect.stringMatching(/competition "closed", which closed at 2026-03-01T12:30:00.000Z/)]);
    expect(decideValidator(world.state)).toEqual([]);
  });

  it('waits for a competition that has not opened yet, and claims once the log clock reaches it', () => {
    const world = new ValidatorWorld().competition('mt10', { startsAt: '2026-03-01T12:10:00.000Z' });
    world.job('early', 3600);
    expect(decideValidator(world.state)).toEqual([]);
    world.advance(600).competition('unrelated');
    expect(typesOf(decideValidator(world.state))).toEqual([['EvaluationClaimed']]);
  });

  it('with capacity 1, claims the second job only after the first ends, and the third after that (FIFO)', () => {
    const { world, job } = claimed(1);
    const second = world.job('j2');
    const third = world.job('j3');
    expect(decideValidator(world.state)).toEqual([]);
    for (let slot = 0; slot < 4; slot++) world.episode(job, slot).recorded(true, 1);
    const decisions = decideValidator(world.state);
    expect(typesOf(decisions)).toEqual([['EvaluationStarted', 'EvaluationCompleted']]);
    world.apply(decisions);
    expect(world.lastFold.withdraw).toEqual([evaluationIdFor(job.jobId, ME)]);
    const next = decideValidator(world.state);
    expect(next.map((d) => d.evaluationId)).toEqual([evaluationIdFor(second.data.jobId, ME)]);
    world.apply(next);
    world.cancel(second.data.jobId);
    settle(world);
    expect(world.events.filter((e) => e.type === 'EvaluationClaimed').map((e) => (e.data as { jobId: string }).jobId)).toEqual([
      job.jobId,
      second.data.jobId,
      third.data.jobId,
    ]);
  });

  it('drops a waiting job that is cancelled, times out for this validator, or whose competition is deactivated', () => {
    const { world } = claimed(1);
    const cancelled = world.job('cancelled');
    const late = world.job('late');
    const orphan = world.job('orphan');
    world.cancel(cancelled.data.jobId);
    expect(world.lastFold.dropped).toEqual([`job ${cancelled.data.jobId} was cancelled before this validator claimed it`]);
    world.record('job', late.data.jobId, { type: 'JobTimedOut', data: { jobId: late.data.jobId, validator: ME, deadline: late.data.deadline } });
    expect(world.lastFold.dropped).toEqual([`job ${late.data.jobId} timed out for this validator before it claimed it`]);
    world.record('competition', 'mt10', { type: 'CompetitionDeactivated', data: { competitionId: 'mt10', deactivatedBy: 'op', reason: 'season over' } });
    expect(world.lastFold.dropped).toEqual([`job ${orphan.data.jobId} is of competition "mt10", which is not active`]);
    expect(world.state.waiting).toEqual([]);
    // Evaluations already under way finish.
    expect(world.state.open.size).toBe(1);
  });
});

describe('validator: following its evaluation', () => {
  it('starts the evaluation on the first EpisodeStarted, naming the evaluator, and not again on the second', () => {
    const { world, job, evaluationId } = claimed();
    const first = world.episode(job, 0).started('host-a:41');
    const [decision] = decideValidator(world.state);
    expect(decision).toMatchObject({ evaluationId, causationId: first.eventId, expected: { version: 1 } });
    expect(dataOf(decision, 'EvaluationStarted')).toEqual({ evaluationId, jobId: job.jobId, validator: ME, evaluator: 'host-a:41' });
    world.apply([decision!]);
    world.episode(job, 1).started('host-b:7');
    expect(decideValidator(world.state)).toEqual([]);
  });

  it('completes once every planned episode is recorded, with the summary worked out by hand, counting a duplicate once', () => {
    const { world, job, evaluationId } = claimed();
    world.episode(job, 0).started();
    settle(world);
    world.episode(job, 0).recorded(true, 10);
    world.episode(job, 0).recorded(false, 99); // a duplicate (a retried evaluator): the first record stands
    world.episode(job, 1).recorded(false, 2);
    world.episode(job, 2).recorded(true, 6);
    expect(decideValidator(world.state)).toEqual([]);
    const last = world.episode(job, 3).recorded(true, 8);
    const [decision] = decideValidator(world.state);
    expect(decision!.causationId).toBe(last.eventId);
    const summary = dataOf(decision, 'EvaluationCompleted');
    // 3 of 4 succeed; rewards 10, 2, 6, 8. Wilson 95% (z = 1.96): 3/4 → [0.3006, 0.9544]; 1/2 → [0.0945, 0.9055]; 2/2 → [0.3424, 1].
    expect(summary).toMatchObject({ evaluationId, jobId: job.jobId, validator: ME, episodes: 4, successRate: 0.75, meanReward: 6.5 });
    expect(summary.successInterval!.low).toBeCloseTo(0.3006, 4);
    expect(summary.successInterval!.high).toBeCloseTo(0.9544, 4);
    expect(summary.tasks.map((t) => [t.task, t.episodes, t.successRate, t.meanReward])).toEqual([
      ['reach', 2, 0.5, 6],
      ['push', 2, 1, 7],
    ]);
    expect(summary.tasks[0]!.successInterval!.low).toBeCloseTo(0.0945, 4);
    expect(summary.tasks[0]!.successInterval!.high).toBeCloseTo(0.9055, 4);
    expect(summary.tasks[1]!.successInterval!.low).toBeCloseTo(0.3424, 4);
    expect(summary.tasks[1]!.successInterval!.high).toBeCloseTo(1, 10);
    world.apply([decision!]);
    expect(world.lastFold.withdraw).toEqual([evaluationId]);
    expect(world.state.evaluations.get(evaluationId)!.state.status).toBe('COMPLETED');
  });

  it('out of order: episodes recorded before any EpisodeStarted start and complete the evaluation in one append', () => {
    const { world, job } = claimed();
    for (let slot = 3; slot >= 0; slot--) world.episode(job, slot).recorded(false, 0, 'late-starter');
    const decisions = decideValidator(world.state);
    expect(typesOf(decisions)).toEqual([['EvaluationStarted', 'EvaluationCompleted']]);
    expect(dataOf(decisions[0], 'EvaluationStarted').evaluator).toBe('late-starter');
    expect(dataOf(decisions[0], 'EvaluationCompleted')).toMatchObject({ successRate: 0, meanReward: 0, successInterval: { low: 0 } });
  });

  it('fails on a miner-fault EpisodeFailed with the verdict, the episode, its task and seed, and the stderr tail, then withdraws the work', () => {
    const { world, job, evaluationId } = claimed();
    world.episode(job, 0).started();
    settle(world);
    world.episode(job, 0).recorded(true, 1);
    const failing = world.episode(job, 2);
    const failed = failing.failed('miner', 'CRASH', 'the agent exited with code 1', 'Traceback: boom');
    const [decision] = decideValidator(world.state);
    expect(decision!.causationId).toBe(failed.eventId);
    expect(dataOf(decision, 'EvaluationFailed')).toEqual({
      evaluationId,
      jobId: job.jobId,
      validator: ME,
      reason: 'agent_crash',
      fault: 'miner',
      detail: `episode ${failing.ref.episodeId} (task push, episode 0, seed ${job.benchmark.seeds[2]}) failed on attempt 3 at evaluator-1 with CRASH (the agent is at fault): the agent exited with code 1`,
      verdict: 'CRASH',
      episodeId: failing.ref.episodeId,
      stderrTail: 'Traceback: boom',
    });
    world.apply([decision!]);
    expect(world.lastFold.withdraw).toEqual([evaluationId]);
    expect(workToPlan(world.state, evaluationId)).toEqual([]);
  });

  it('fails with fault infrastructure when the evaluator gave up, never blaming the miner; from STARTING it starts first', () => {
    const { world, job } = claimed();
    world.episode(job, 1).failed('infrastructure', 'INTERNAL', 'the sandbox could not start after 3 attempts');
    const decisions = decideValidator(world.state);
    expect(typesOf(decisions)).toEqual([['EvaluationStarted', 'EvaluationFailed']]);
    expect(dataOf(decisions[0], 'EvaluationFailed')).toMatchObject({ fault: 'infrastructure', reason: 'infrastructure_internal', verdict: 'INTERNAL' });
    expect(dataOf(decisions[0], 'EvaluationFailed').detail).toContain('not counted against the miner');
  });

  it('cancels an open evaluation when its job is cancelled, and withdraws its work', () => {
    const { world, job, evaluationId } = claimed();
    const cancelled = world.cancel(job.jobId);
    const [decision] = decideValidator(world.state);
    expect(decision).toMatchObject({
      causationId: cancelled.eventId,
      events: [{ type: 'EvaluationCancelled', data: { evaluationId, jobId: job.jobId, validator: ME } }],
    });
    world.apply([decision!]);
    expect(world.lastFold.withdraw).toEqual([evaluationId]);
  });

  it('takes the ending that came first in the log: a cancellation before the last episode wins over the completion', () => {
    const { world, job } = claimed();
    for (let slot = 0; slot < 3; slot++) world.episode(job, slot).recorded(true, 1);
    world.cancel(job.jobId);
    world.episode(job, 3).recorded(true, 1);
    expect(typesOf(decideValidator(world.state))).toEqual([['EvaluationStarted', 'EvaluationCancelled']]);
  });

  it('is TIMEOUT once the job timed it out (withdrawing its work, deciding nothing), and ignores another validator’s timeout', () => {
    const { world, job, evaluationId } = claimed();
    world.record('job', job.jobId, { type: 'JobTimedOut', data: { jobId: job.jobId, validator: OTHER, deadline: job.deadline } });
    expect(world.lastFold.withdraw).toEqual([]);
    world.record('job', job.jobId, { type: 'JobTimedOut', data: { jobId: job.jobId, validator: ME, deadline: job.deadline } });
    expect(world.lastFold.withdraw).toEqual([evaluationId]);
    expect(world.state.evaluations.get(evaluationId)!.state.status).toBe('TIMEOUT');
    for (let slot = 0; slot < 4; slot++) world.episode(job, slot).recorded(true, 1);
    expect(decideValidator(world.state)).toEqual([]);
  });

  it('decides nothing for late events after an outcome, nor for its redelivered outcome', () => {
    const { world, job } = claimed();
    for (let slot = 0; slot < 4; slot++) world.episode(job, slot).recorded(true, 1);
    const [, completed] = settle(world);
    world.episode(job, 1).failed('miner', 'TIMEOUT', 'late');
    world.episode(job, 2).recorded(false, 0);
    world.cancel(job.jobId);
    expect(world.redeliver(completed!)).toEqual({ publish: [], withdraw: [], dropped: [] });
    expect(decideValidator(world.state)).toEqual([]);
    expect(world.events.filter((e) => e.type === 'EvaluationCompleted' || e.type === 'EvaluationCancelled' || e.type === 'EvaluationFailed')).toHaveLength(1);
  });

  it('ignores another validator’s evaluations and episodes of the same job', () => {
    const world = new ValidatorWorld().competition();
    const job = world.job('shared');
    world.evaluationEvent('EvaluationClaimed', job.data.jobId, OTHER);
    for (let slot = 0; slot < 4; slot++) world.episode(job.data, slot, OTHER).recorded(true, 1);
    world.evaluationEvent('EvaluationCompleted', job.data.jobId, OTHER);
    expect(world.folds.every((f) => f.unfolded === undefined && f.publish.length === 0 && f.withdraw.length === 0)).toBe(true);
    expect(decideValidator(world.state).map((d) => d.evaluationId)).toEqual([evaluationIdFor(job.data.jobId, ME)]);
  });

  it('says why it cannot fold an episode of an evaluation it never claimed, or one outside the plan', () => {
    const world = new ValidatorWorld().competition();
    const job = world.job('j');
    world.episode(job.data, 0).recorded(true, 1);
    expect(world.lastFold.unfolded).toBe(
      `EpisodeRecorded for evaluation ${evaluationIdFor(job.data.jobId, ME)}, which this validator never claimed for job ${job.data.jobId}`,
    );
    world.apply(decideValidator(world.state));
    const forged = world.episode({ ...job.data, benchmark: { ...job.data.benchmark, seeds: [7, 7, 7, 7] } }, 1);
    forged.recorded(true, 1);
    expect(world.lastFold.unfolded).toMatch(/is not an episode of evaluation .*'s plan/);
    expect(world.state.evaluations.get(evaluationIdFor(job.data.jobId, ME))!.recorded.size).toBe(0);
  });
});

describe('validator: restarts', () => {
  it('re-plans what is neither recorded, nor failed, nor still queued, and withdraws leftovers of evaluations that ended', () => {
    const { world, job, evaluationId } = claimed();
    const ended = world.job('ended');
    settle(world);
    const endedId = evaluationIdFor(ended.data.jobId, ME);
    world.cancel(ended.data.jobId);
    settle(world);
    world.episode(job, 0).recorded(true, 1);
    const plan = replan(
      world.state,
      new Map([
        [evaluationId, new Set([1])],
        [endedId, new Set([0, 3])],
        [evaluationIdFor(job.jobId, OTHER), new Set([0])],
      ]),
    );
    expect(plan.publish.map((i) => [i.evaluationId, i.slot])).toEqual([
      [evaluationId, 2],
      [evaluationId, 3],
    ]);
    expect(plan.withdraw).toEqual([endedId]);
  });

  it('folds the same log into the same state, and a log folded twice into the same state again', () => {
    const { world, job } = claimed(1);
    world.job('j2');
    world.episode(job, 0).started();
    world.episode(job, 0).recorded(true, 3);
    settle(world);
    const replayed = new ValidatorWorld(1);
    const twice = new ValidatorWorld(1);
    for (const e of world.events) replayed.redeliver(e);
    for (const e of [...world.events, ...world.events]) twice.redeliver(e);
    expect(replayed.state).toEqual(world.state);
    expect(twice.state).toEqual(world.state);
    expect(decideValidator(replayed.state)).toEqual(decideValidator(world.state));
  });
});

describe('validator: events in its name it did not sign', () => {
  it('given a claimed evaluation, when an unsigned episode or cancellation in its name arrives, then it ignores them and says why', () => {
    const { world, job, evaluationId } = claimed();
    const genuine = world.episode(job, 0).recorded(true, 1);
    // The genuine recording of slot 0 was folded; a copy made slot 2's, unsigned, is not.
    const slot2 = {
      ...genuine,
      signature: undefined,
      eventId: deriveEventId(genuine.eventId, 'forged', '2'),
      data: { ...genuine.data, episodeId: episodeIdFor(evaluationId, 2), task: 'push', episodeIndex: 0, seed: job.benchmark.seeds[2]! },
    } as RecordedEvent;
    const before = world.state.evaluations.get(evaluationId)!.recorded.size;
    expect(world.redeliver(slot2).unfolded).toMatch(/^EpisodeRecorded .* names this validator but is unsigned: ignored$/);
    expect(world.state.evaluations.get(evaluationId)!.recorded.size).toBe(before);
    const cancelled = {
      ...genuine,
      type: 'EvaluationCancelled',
      aggregate: 'evaluation',
      aggregateId: evaluationId,
      signature: undefined,
      data: { evaluationId, jobId: job.jobId, validator: ME },
    } as unknown as RecordedEvent;
    expect(world.redeliver(cancelled).unfolded).toMatch(/^EvaluationCancelled .* is unsigned: ignored$/);
    expect(world.state.open.has(evaluationId)).toBe(true);
  });
});
