import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { type RecordedEvent, type RecordedEventOf } from '#contracts';
import { submissionIdFor } from '#domain';
import { DeadLetters } from '#eventing';
import { eventually } from '#testing';
import { SCHEDULER_DURABLE } from './create-scheduler.js';
import { MINER, NETUID, rawCommitment, SchedulerTestBed, VALID_MANIFEST, VALIDATOR_A } from './testing/scheduler-test-bed.js';

const settings = {
  name: 'Test',
  benchmarks: [{ name: 'reach', provider: 'control' as const, tasks: ['reach'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 600 }],
  weightShare: 1,
  maxRepoBytes: 10_000,
  submissionRateLimit: { count: 100, perSeconds: 3600 },
};

const packageVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let bed: SchedulerTestBed;
let sha: string;

const jobsOf = (commitment: RecordedEventOf<'CommitmentObserved'>) => {
  const submissionId = submissionIdFor(NETUID, commitment.data.hotkey, commitment.data.block, commitment.data.raw);
  return bed.until(`the job of ${submissionId}`, (events) => {
    const jobs = events.filter((e): e is RecordedEvent & RecordedEventOf<'JobCreated'> => e.type === 'JobCreated' && e.data.submissionId === submissionId);
    return jobs.length > 0 ? jobs : undefined;
  });
};

beforeAll(async () => {
  bed = await SchedulerTestBed.start('scheduler unfoldable');
  sha = await bed.hub.createRepo('miner/agent', { 'kinitro.json': VALID_MANIFEST, 'serve.py': 'print("hi")' });
  await bed.competition('mt10', settings);
  await bed.metagraph([{ hotkey: MINER }, { hotkey: VALIDATOR_A, validatorPermit: true }]);
});

afterAll(() => bed.dispose());

describe('scheduler and an event it cannot fold', () => {
  it('records an EvaluationCompleted for an evaluation never claimed as a dead letter, goes on, and restarts', async () => {
    let scheduler = await bed.startScheduler();
    const [job] = await jobsOf(await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: sha.slice(0, 10) })));
    expect(job!.producer).toEqual({ app: 'scheduler', version: packageVersion });
    await bed.evaluation('EvaluationCompleted', job!.data.jobId, VALIDATOR_A);
    const deadLetters = new DeadLetters(bed.nats.js, bed.nats.jsm, bed.topology);
    const [letter] = await eventually('a dead letter', async () => {
      const letters = await deadLetters.list({ consumer: SCHEDULER_DURABLE });
      return letters.length > 0 ? letters : undefined;
    });
    expect(letter!.reason).toBe('cannot fold: EvaluationCompleted for an evaluation that is QUEUED (never claimed)');
    const completed = (await bed.eventsOf('EvaluationCompleted'))[0]!;
    expect(letter!.streamSequence).toBe(completed.streamSequence);
    expect(JSON.parse(Buffer.from(letter!.rawBase64, 'base64').toString()).eventId).toBe(completed.eventId);

    // It goes on: the next commitment still becomes a job, on this run and on the restart (which folds the event again).
    await bed.hub.commit('miner/agent', { 'serve.py': 'print("v2")' });
    await jobsOf(await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: bed.hub.head('miner/agent')!.slice(0, 10) })));
    await bed.stopScheduler(scheduler);
    scheduler = await bed.startScheduler();
    expect(scheduler.caughtUpTo).toBeGreaterThan(completed.streamSequence);
    await bed.hub.commit('miner/agent', { 'serve.py': 'print("v3")' });
    await jobsOf(await bed.commit(rawCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: bed.hub.head('miner/agent')!.slice(0, 10) })));
    expect(await deadLetters.list({ consumer: SCHEDULER_DURABLE })).toHaveLength(1);
  });
});
