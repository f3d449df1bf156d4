import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { evaluationIdFor } from '#domain';
import { eventually } from '#testing';
import { TestEvaluator, VALIDATOR, ValidatorTestBed } from './testing/validator-test-bed.js';

let bed: ValidatorTestBed;
let evaluator: TestEvaluator;

beforeAll(async () => {
  bed = await ValidatorTestBed.start('validator capacity');
  await bed.competition();
  evaluator = await TestEvaluator.start(bed.nats, bed.topology, bed.store);
});

afterAll(() => bed.dispose());

const claimedJobs = async () => (await bed.eventsOf('EvaluationClaimed')).map((e) => e.data.jobId);

describe('validator capacity (VALIDATOR_MAX_EVALUATIONS=1)', () => {
  it('claims the second job only after the first ends, and plans no work for it before', async () => {
    const running = await bed.startValidator({ VALIDATOR_MAX_EVALUATIONS: 1 });
    const first = await bed.job('first');
    const second = await bed.job('second');
    const items = await evaluator.takeMany(4);
    expect(new Set(items.map((t) => t.item.jobId))).toEqual(new Set([first.data.jobId]));
    // Wait for the validator's consumer to have handled the second JobCreated: only then does "not claimed" mean something.
    await eventually(
      'the second JobCreated handled',
      async () => (await bed.nats.jsm.consumers.info(bed.topology.eventsStream, running.durable)).ack_floor.stream_seq >= second.streamSequence,
    );
    expect(await claimedJobs()).toEqual([first.data.jobId]);
    expect(await bed.queuedSlots(evaluationIdFor(second.data.jobId, VALIDATOR))).toEqual([]);

    for (const taken of items) await evaluator.run(taken, { success: true, totalReward: 1 });
    await bed.until('the first completed', (events) =>
      events.some((e) => e.type === 'EvaluationCompleted' && e.aggregateId === evaluationIdFor(first.data.jobId, VALIDATOR)),
    );
    const next = await evaluator.takeMany(4);
    expect(new Set(next.map((t) => t.item.jobId))).toEqual(new Set([second.data.jobId]));
    const claims = await bed.eventsOf('EvaluationClaimed');
    const completed = (await bed.eventsOf('EvaluationCompleted'))[0]!;
    expect(claims.map((e) => e.data.jobId)).toEqual([first.data.jobId, second.data.jobId]);
    expect(claims[1]!.streamSequence).toBeGreaterThan(completed.streamSequence);
  });
});
