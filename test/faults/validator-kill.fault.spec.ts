import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RecordedEvent, RecordedEventOf } from '#contracts';
import { episodeIdFor, evaluationIdFor } from '#domain';
import { eventually, type AppProcess } from '#testing';
import { startValidatorProcess } from '../../apps/validator/src/testing/validator-process.js';
import { TestEvaluator, VALIDATOR, ValidatorTestBed } from '../../apps/validator/src/testing/validator-test-bed.js';

/**
 * Fault 5 (validator half): kill -9 the compiled validator mid-job, start a new one, and the job ends with exactly
 * one outcome for the job × validator, every episode counted once, nothing left on the work stream. The
 * processes form a chain: the validator started after round r's kill is the one killed in round r + 1, so each
 * start also catches up over every earlier round's outcome (and must append nothing more for it). The kill lands
 * at a different point of the job each round (KILL_POINTS, in turn). A round costs one validator start (≈ 2–3 s
 * of module loading and catch-up, more on a busy machine), so RUNS is 6: each kill point once.
 */
const RUNS = Number(process.env.FAULT_VALIDATOR_RUNS ?? 6);
jest.setTimeout(30_000 + 15_000 * RUNS);

/**
 * Where the kill lands. A number k: k of the four episodes are recorded, then kill; while it is down the evaluator
 * finishes the items in hand but the last, whose item is lost (handed back unfinished, then purged from the work
 * stream, as by an operator or with the stream), so the next validator must re-plan it. 'all-recorded' races the
 * kill with the validator appending the outcome.
 */
const KILL_POINTS = ['job-appended', 'claimed', 1, 2, 3, 'all-recorded'] as const;
type KillPoint = (typeof KILL_POINTS)[number];

/** Slot outcomes: reach succeeds once of two, push twice; rewards 4, 1, 3, 2 → 0.75 and 2.5 (the golden outcome). */
const OUTCOMES = [
  { success: true, totalReward: 4 },
  { success: false, totalReward: 1 },
  { success: true, totalReward: 3 },
  { success: true, totalReward: 2 },
];
const OUTCOME_TYPES = ['EvaluationCompleted', 'EvaluationFailed', 'EvaluationCancelled'];

type Taken = Awaited<ReturnType<TestEvaluator['takeMany']>>[number];

let bed: ValidatorTestBed;
let evaluator: TestEvaluator;
let validator: AppProcess;
const started: AppProcess[] = [];

const startValidator = async (): Promise<AppProcess> => {
  const next = await startValidatorProcess(bed);
  started.push(next);
  return next;
};
const run = (taken: Taken) => evaluator.run(taken, OUTCOMES[taken.item.slot]!);
const hasEvent = (evaluationId: string, type: string) => (events: RecordedEvent[]) => events.some((e) => e.aggregateId === evaluationId && e.type === type);

beforeAll(async () => {
  bed = await ValidatorTestBed.start('fault validator kill');
  await bed.competition();
  evaluator = await TestEvaluator.start(bed.nats, bed.topology, bed.store);
  validator = await startValidator();
});

afterAll(async () => {
  for (const process of started) await process.stop('SIGKILL');
  await bed?.dispose();
});

/** Brings the job to `point` with the current validator and kills it there; returns the items still in hand. */
const killAt = async (point: KillPoint, evaluationId: string): Promise<Taken[]> => {
  let inHand: Taken[] = [];
  if (point === 'claimed') await bed.until('EvaluationClaimed', hasEvent(evaluationId, 'EvaluationClaimed'));
  if (typeof point === 'number' || point === 'all-recorded') {
    inHand = (await evaluator.takeMany(4)).sort((a, b) => a.item.slot - b.item.slot);
    const recorded = point === 'all-recorded' ? 4 : point;
    for (const taken of inHand.splice(0, recorded)) await run(taken);
  }
  await validator.stop('SIGKILL');
  return inHand;
};

describe(`fault: validator kill -9 mid-job (${RUNS} runs)`, () => {
  it('after each kill and restart the job ends with exactly one outcome, each episode counted once', async () => {
    const lines: string[] = [];
    for (let round = 0; round < RUNS; round++) {
      const point = KILL_POINTS[round % KILL_POINTS.length]!;
      const t0 = Date.now();
      const job = await bed.job(`round-${round}`);
      const evaluationId = evaluationIdFor(job.data.jobId, VALIDATOR);
      const inHand = await killAt(point, evaluationId);

      // While it is down the evaluator finishes what it holds, but the last item is lost.
      const lost = typeof point === 'number' ? inHand.pop() : undefined;
      for (const taken of inHand) await run(taken);
      if (lost) {
        lost.msg.nak();
        await bed.nats.jsm.streams.purge(bed.topology.workStream, { filter: lost.msg.subject });
        expect(await bed.queuedSlots(evaluationId)).toEqual([]);
      }

      validator = await startValidator();
      if (lost) {
        const [replanned] = await evaluator.takeMany(1);
        const slot = lost.item.slot;
        expect(replanned!.item).toMatchObject({
          evaluationId,
          slot,
          episodeId: episodeIdFor(evaluationId, slot),
          seed: job.data.benchmark.seeds[slot],
          task: 'push',
          episodeIndex: 1,
        });
        await run(replanned!);
      }
      // Whatever else the job needs (items the killed one never published, or published before the kill).
      const completed = await eventually(
        `round ${round}: the evaluation completed`,
        async () => {
          const events = await bed.events();
          const done = events.find(
            (e): e is RecordedEvent & RecordedEventOf<'EvaluationCompleted'> => e.aggregateId === evaluationId && e.type === 'EvaluationCompleted',
          );
          if (done) return done;
          const recorded = events.filter((e) => e.type === 'EpisodeRecorded' && (e.data as { evaluationId: string }).evaluationId === evaluationId);
          // Items only while some episode is unrecorded: a take with nothing to come waits out its whole expiry.
          const next = recorded.length < 4 ? await evaluator.take(1_000) : undefined;
          if (next) await run(next);
        },
        20_000,
      );
      expect(completed.data).toMatchObject({ episodes: 4, successRate: 0.75, meanReward: 2.5 });
      expect((await bed.evaluationEvents(evaluationId)).map((e) => e.type)).toEqual(['EvaluationClaimed', 'EvaluationStarted', 'EvaluationCompleted']);
      const recorded = await bed.eventsOf('EpisodeRecorded', (e) => e.data.evaluationId === evaluationId);
      expect(recorded.map((e) => e.data.episodeIndex + 2 * ['reach', 'push'].indexOf(e.data.task)).sort()).toEqual([0, 1, 2, 3]);
      await eventually(`round ${round}: the work stream empty`, async () => (await bed.queuedSlots(evaluationId)).length === 0);
      lines.push(
        `run ${round + 1}: killed at ${point}${lost ? `, slot ${lost.item.slot} lost and re-planned` : ''}: one EvaluationCompleted (${Date.now() - t0} ms)`,
      );
    }

    // One more kill and start over the log that holds every outcome: it appends nothing, publishes no work.
    const before = (await bed.events()).length;
    await validator.stop('SIGKILL');
    validator = await startValidator();
    expect(await evaluator.take(1_000)).toBeUndefined();
    const events = await bed.events();
    expect(events).toHaveLength(before);
    const outcomes = events.filter((e) => OUTCOME_TYPES.includes(e.type));
    expect(outcomes).toHaveLength(RUNS);
    expect(new Set(outcomes.map((e) => e.aggregateId)).size).toBe(RUNS);
    console.log(`validator kill -9: ${lines.length}/${RUNS} runs held (${started.length} validator processes)\n${lines.join('\n')}`);
  });
});
