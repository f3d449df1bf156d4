import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { episodeWorkSubject } from '#contracts';
import { episodeIdFor, evaluationIdFor } from '#domain';
import { eventually } from '#testing';
import { TestEvaluator, VALIDATOR, VALIDATOR_URI, ValidatorTestBed } from './testing/validator-test-bed.js';

// Three validator processes on a shared, often busy machine.
jest.setTimeout(60_000);

/** The compiled entry point (`npm test` builds first; alone: `npm run build`). */
const MAIN = resolve('dist/apps/validator/src/main.js');

let bed: ValidatorTestBed;
let evaluator: TestEvaluator;
const children: ChildProcess[] = [];
const outputs = new Map<ChildProcess, string>();

const startValidator = (): ChildProcess => {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NATS_URL: bed.natsUrl,
      KINITRO_NAMESPACE: bed.topology.namespace,
      VALIDATOR_HOTKEY_URI: VALIDATOR_URI,
      VALIDATOR_MAX_EVALUATIONS: '2',
      PROJECTOR_WAIT_MS: '0',
      LOG_LEVEL: 'log',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  outputs.set(child, '');
  child.stdout.on('data', (chunk: Buffer) => outputs.set(child, outputs.get(child)! + chunk.toString()));
  return child;
};

/**
 * The process has folded the log to its end, re-planned what was lost and started its consumer: main.ts says so in
 * its start line. (The durable's ack floor is no sign of it: an event the killed process held unacked stays below
 * the floor until its ack wait runs out, while the new process has long folded it during its catch-up.)
 */
const started = (child: ChildProcess) => eventually('the validator to start', () => /caught up to sequence \d+/.test(outputs.get(child) ?? ''), 20_000);


beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build)`);
  bed = await ValidatorTestBed.start('validator kill');
  await bed.competition();
  evaluator = await TestEvaluator.start(bed.nats, bed.topology, bed.store);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bed.dispose();
});

describe('validator process', () => {
  it('survives kill -9 mid-job: after a restart it re-plans the lost work item and ends the evaluation exactly once', async () => {
    const first = startValidator();
    const job = await bed.job('killed');
    const evaluationId = evaluationIdFor(job.data.jobId, VALIDATOR);
    const taken = (await evaluator.takeMany(4)).sort((a, b) => a.item.slot - b.item.slot);
    await evaluator.run(taken[0]!, { success: true, totalReward: 4 });
    await evaluator.run(taken[1]!, { success: false, totalReward: 1 });
    await bed.until('EvaluationStarted', (events) => events.some((e) => e.aggregateId === evaluationId && e.type === 'EvaluationStarted'));

    first.kill('SIGKILL');
    await once(first, 'exit');
    // While it is down an evaluator finishes slot 2, and slot 3's item is lost: handed back unfinished, then gone
    // from the work stream (as if purged by an operator or lost with the stream).
    await evaluator.run(taken[2]!, { success: true, totalReward: 3 });
    taken[3]!.msg.nak();
    await bed.nats.jsm.streams.purge(bed.topology.workStream, { filter: episodeWorkSubject(bed.topology, VALIDATOR, evaluationId, 3) });
    expect(await bed.queuedSlots(evaluationId)).toEqual([]);

    startValidator();
    const [replanned] = await evaluator.takeMany(1);
    expect(replanned!.item).toMatchObject({ evaluationId, slot: 3, episodeId: episodeIdFor(evaluationId, 3), seed: job.data.benchmark.seeds[3], task: 'push', episodeIndex: 1 });
    await evaluator.run(replanned!, { success: true, totalReward: 2 });

    const completed = await bed.until('EvaluationCompleted', (events) => events.find((e) => e.aggregateId === evaluationId && e.type === 'EvaluationCompleted'));
    expect(completed.data).toMatchObject({ episodes: 4, successRate: 0.75, meanReward: 2.5 });
    expect(await evaluator.take(1_000)).toBeUndefined();

    // A third start (redelivery, catch-up over a log that holds the outcome) appends nothing more.
    children.at(-1)!.kill('SIGKILL');
    await once(children.at(-1)!, 'exit');
    await started(startValidator());
    // Its consumer gets what it redelivers within this pause; a decision from those would be appended by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const evaluation = await bed.evaluationEvents(evaluationId);
    expect(evaluation.map((e) => e.type)).toEqual(['EvaluationClaimed', 'EvaluationStarted', 'EvaluationCompleted']);
    const recorded = await bed.eventsOf('EpisodeRecorded', (e) => e.data.evaluationId === evaluationId);
    expect(recorded.map((e) => e.data.episodeIndex + 2 * ['reach', 'push'].indexOf(e.data.task)).sort()).toEqual([0, 1, 2, 3]);
    expect(await bed.queuedSlots(evaluationId)).toEqual([]);
  });
});
