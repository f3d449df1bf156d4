import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventData, RecordedEvent } from '#contracts';
import { episodeIdFor, evaluationIdFor } from '#domain';
import { eventually } from '#testing';
import type { RunningValidator } from './create-validator.js';
import { BENCHMARK, SHA, TestEvaluator, VALIDATOR, ValidatorTestBed } from './testing/validator-test-bed.js';

let bed: ValidatorTestBed;
let validator: RunningValidator;
let evaluator: TestEvaluator;

const outcomesOf = (events: RecordedEvent[], evaluationId: string) =>
  events.filter((e) => e.aggregateId === evaluationId && ['EvaluationCompleted', 'EvaluationFailed', 'EvaluationCancelled'].includes(e.type));

beforeAll(async () => {
  bed = await ValidatorTestBed.start('validator');
  await bed.competition('mt10', 50_000);
  validator = await bed.startValidator({ HEALTH_PORT: 0 });
  evaluator = await TestEvaluator.start(bed.nats, bed.topology, bed.store);
});

afterAll(() => bed.dispose());

describe('validator app', () => {
  it('appends under its hotkey through its own durable consumer', () => {
    expect(validator.hotkey.address).toBe(VALIDATOR);
    expect(validator.durable).toBe(`validator-${VALIDATOR}`);
  });

  it('answers /health/ready once its consumer runs', async () => {
    await eventually('ready', async () => (await fetch(`http://127.0.0.1:${validator.healthPort}/health/ready`)).status === 200);
    expect((await bed.nats.jsm.consumers.info(bed.topology.eventsStream, validator.durable)).config.filter_subject).toBe(bed.topology.allEventsSubject);
  });

  it('claims a job, queues one work item per seed, and completes once every episode is recorded, exactly once', async () => {
    const job = await bed.job('complete');
    const evaluationId = evaluationIdFor(job.data.jobId, VALIDATOR);
    const taken = await evaluator.takeMany(4);
    const claim = (await bed.evaluationEvents(evaluationId))[0]!;
    expect(claim).toMatchObject({
      type: 'EvaluationClaimed',
      causationId: job.eventId,
      producer: { app: 'validator' },
      data: { evaluationId, jobId: job.data.jobId, validator: VALIDATOR, plannedEpisodes: 4 },
    });

    const bySlot = taken.map((t) => t.item).sort((a, b) => a.slot - b.slot);
    expect(bySlot.map((i) => [i.slot, i.task, i.episodeIndex, i.seed, i.episodeId])).toEqual([
      [0, 'reach', 0, job.data.benchmark.seeds[0], episodeIdFor(evaluationId, 0)],
      [1, 'reach', 1, job.data.benchmark.seeds[1], episodeIdFor(evaluationId, 1)],
      [2, 'push', 0, job.data.benchmark.seeds[2], episodeIdFor(evaluationId, 2)],
      [3, 'push', 1, job.data.benchmark.seeds[3], episodeIdFor(evaluationId, 3)],
    ]);
    expect(bySlot[0]).toMatchObject({
      evaluationId,
      jobId: job.data.jobId,
      validator: VALIDATOR,
      plannedEpisodes: 4,
      repo: 'miner/agent',
      revision: SHA,
      deadline: job.data.deadline,
      maxRepoBytes: 50_000,
    });
    expect(bySlot[0]!.benchmark).toEqual({ ...BENCHMARK, seeds: job.data.benchmark.seeds });
    expect(taken.map((t) => t.msg.subject).sort()).toEqual(
      [0, 1, 2, 3].map((slot) => `${bed.topology.namespace}.work.episode.${VALIDATOR}.${evaluationId}.${slot}`),
    );

    // Rewards 10, 2, 6, 8; reach succeeds once of two, push twice: 3 of 4 overall.
    const outcomes = [
      { success: true, totalReward: 10 },
      { success: false, totalReward: 2 },
      { success: true, totalReward: 6 },
      { success: true, totalReward: 8 },
    ];
    const inSlotOrder = [...taken].sort((a, b) => a.item.slot - b.item.slot);
    await evaluator.run(inSlotOrder[0]!, outcomes[0]!);
    await bed.until('EvaluationStarted', (events) => events.some((e) => e.aggregateId === evaluationId && e.type === 'EvaluationStarted'));
    // A retried evaluator records slot 0 again: it must not count twice.
    await evaluator.run({ item: inSlotOrder[0]!.item }, { success: false, totalReward: 99 });
    for (const i of [1, 2, 3]) await evaluator.run(inSlotOrder[i]!, outcomes[i]!);

    const [completed] = await bed.until('EvaluationCompleted', (events) => {
      const found = outcomesOf(events, evaluationId);
      return found.length > 0 ? found : undefined;
    });
    const summary = completed!.data as EventData<'EvaluationCompleted'>;
    expect(summary).toMatchObject({ evaluationId, jobId: job.data.jobId, validator: VALIDATOR, episodes: 4, successRate: 0.75, meanReward: 6.5 });
    // Wilson 95%: 3/4 → [0.3006, 0.9544]; 1/2 → [0.0945, 0.9055]; 2/2 → [0.3424, 1].
    expect(summary.successInterval!.low).toBeCloseTo(0.3006, 4);
    expect(summary.successInterval!.high).toBeCloseTo(0.9544, 4);
    expect(
      summary.tasks.map((t) => [
        t.task,
        t.episodes,
        t.successRate,
        t.meanReward,
        Number(t.successInterval!.low.toFixed(4)),
        Number(t.successInterval!.high.toFixed(4)),
      ]),
    ).toEqual([
      ['reach', 2, 0.5, 6, 0.0945, 0.9055],
      ['push', 2, 1, 7, 0.3424, 1],
    ]);
    const evaluation = await bed.evaluationEvents(evaluationId);
    expect(evaluation.map((e) => e.type)).toEqual(['EvaluationClaimed', 'EvaluationStarted', 'EvaluationCompleted']);
    expect(evaluation[1]!.data).toMatchObject({ evaluator: evaluator.id });
  });

  it('fails the evaluation on a miner-fault episode, with the stderr tail, and withdraws the rest of its work', async () => {
    const job = await bed.job('crash');
    const evaluationId = evaluationIdFor(job.data.jobId, VALIDATOR);
    const [first, second] = await evaluator.takeMany(2);
    // Two waiting, two held unacknowledged by the evaluator: a work-queue stream keeps an item until its ack.
    await eventually('all four items queued', async () => (await bed.queuedSlots(evaluationId)).length === 4);
    await evaluator.run(first!, { success: true, totalReward: 1 });
    await evaluator.run(second!, {
      fault: 'miner',
      verdict: 'CRASH',
      reason: 'the agent exited with code 3',
      stderrTail: 'Traceback (most recent call last):\nValueError: boom',
    });
    const [failed] = await bed.until('EvaluationFailed', (events) => {
      const found = outcomesOf(events, evaluationId);
      return found.length > 0 ? found : undefined;
    });
    expect(failed).toMatchObject({
      type: 'EvaluationFailed',
      data: {
        fault: 'miner',
        reason: 'agent_crash',
        verdict: 'CRASH',
        episodeId: second!.item.episodeId,
        stderrTail: 'Traceback (most recent call last):\nValueError: boom',
      },
    });
    const { detail } = failed!.data as EventData<'EvaluationFailed'>;
    expect(detail).toContain(`episode ${second!.item.episodeId} (task ${second!.item.task}, episode ${second!.item.episodeIndex}, seed ${second!.item.seed})`);
    expect(detail).toContain('the agent exited with code 3');
    expect(await eventuallyEmpty(evaluationId)).toEqual([]);
    expect(await evaluator.take(1_000)).toBeUndefined();
  });

  it('cancels the evaluation when its job is cancelled mid-run, and withdraws its work', async () => {
    const job = await bed.job('cancel');
    const evaluationId = evaluationIdFor(job.data.jobId, VALIDATOR);
    const [first] = await evaluator.takeMany(1);
    await evaluator.run(first!, { success: true, totalReward: 1 });
    await bed.until('EvaluationStarted', (events) => events.some((e) => e.aggregateId === evaluationId && e.type === 'EvaluationStarted'));
    await bed.cancel(job.data.jobId);
    await bed.until('EvaluationCancelled', (events) => outcomesOf(events, evaluationId).some((e) => e.type === 'EvaluationCancelled'));
    expect(await eventuallyEmpty(evaluationId)).toEqual([]);
    expect((await bed.evaluationEvents(evaluationId)).map((e) => e.type)).toEqual(['EvaluationClaimed', 'EvaluationStarted', 'EvaluationCancelled']);
  });
});

/** The evaluation's queued slots once the withdrawal (which follows the outcome's append) has happened. */
const eventuallyEmpty = async (evaluationId: string): Promise<number[]> => {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const slots = await bed.queuedSlots(evaluationId);
    if (slots.length === 0 || Date.now() > deadline) return slots;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
