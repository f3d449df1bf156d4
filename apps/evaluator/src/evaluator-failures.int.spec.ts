import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { episodeWorkSubject, evaluatorDurable, newEvent, type RecordedEvent } from '#contracts';
import { DeadLetters } from '#eventing';
import { FsObjectStore, ObjectStoreError, type ObjectBody, type PutContentResult, type PutOptions } from '#storage';
import { eventually, type FixtureFiles } from '#testing';
import { EvaluatorTestBed, filesOf, HOSTILE_DIR, REACH_EXPERT_DIR, reachBenchmark, type Benchmark, VALIDATOR } from './testing/evaluator-test-bed.js';

// What goes wrong, against the real services: the agent's faults end the episode with fault miner (never retried),
// the infrastructure's are retried and end it with fault infrastructure after the budget (never miner), and items
// not worth running are acked untouched.
let bed: EvaluatorTestBed;
const benchmark: Benchmark = reachBenchmark({ episodesPerTask: 1, seeds: [1000], maxSteps: 50 });

const types = (events: RecordedEvent[]) => events.map((e) => e.type);
const dataOf = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);

/** The episode's events once it has its final one. */
const settled = (episodeId: string, timeoutMs = 20_000) =>
  eventually(
    `episode ${episodeId} settled`,
    async () => {
      const events = await bed.episode(episodeId);
      return events.some((e) => e.type === 'EpisodeRecorded' || e.type === 'EpisodeFailed') && events;
    },
    timeoutMs,
  );

/** libs/agent's hostile agents as the runtime's own test lays them out (the raw behaviours and the expert beside them), with a manifest naming `agentClass`. */
const hostileRepo = async (name: string, agentClass: string, extra: FixtureFiles = {}) =>
  bed.agentRepo(name, resolve(HOSTILE_DIR), {
    ...(await filesOf(resolve(REACH_EXPERT_DIR), 'reach_expert')),
    'hostile.py': await readFile(resolve('libs/agent/src/sandbox/fixtures/hostile.py')),
    'kinitro.json': JSON.stringify({
      name: 'hostile',
      version: '0.0.1',
      protocol: 'grpc',
      agentApiVersion: 'v1',
      runtime: 'python3',
      entrypoint: { command: 'python3', args: ['-m', 'kinitro_agent.serve', '--agent', agentClass] },
    }),
    ...extra,
  });

/** An FsObjectStore whose first `failures` content writes fail as a full disk would. */
class FailingStore extends FsObjectStore {
  writes = 0;
  constructor(
    dir: string,
    private failures: number,
  ) {
    super({ dir });
  }
  override async putContent(body: ObjectBody, options?: PutOptions): Promise<PutContentResult> {
    this.writes++;
    if (this.failures > 0) {
      this.failures--;
      throw new ObjectStoreError('cannot write: no space left on device (injected)');
    }
    return super.putContent(body, options);
  }
}

beforeAll(async () => {
  bed = await EvaluatorTestBed.start('evaluator failures');
}, 30_000);
afterAll(() => bed?.dispose());

describe('the evaluator when something goes wrong', () => {
  it("fails the episode with fault miner and the agent's stderr when the agent raises, and never retries it", async () => {
    const agent = await hostileRepo('raises', 'raises:RaisesInAct', {
      'raises.py':
        'from kinitro_agent import Agent\n\nclass RaisesInAct(Agent):\n    def act(self, observation):\n        raise RuntimeError("the gripper is on fire")\n',
    });
    const running = await bed.startEvaluator();
    const [item] = await bed.evaluation(agent, benchmark);
    const events = await settled(item!.episodeId);
    expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeFailed']);
    const [failed] = dataOf(events, 'EpisodeFailed');
    expect(failed).toMatchObject({ fault: 'miner', verdict: 'CRASH', attempt: 1, evaluator: 'evaluator-1', seed: 1000 });
    expect(failed!.reason).toMatch(/the gripper is on fire/);
    expect(failed!.stderrTail).toMatch(/RuntimeError: the gripper is on fire/);
    // The evaluator's log names what it did: the item, the agent's start, the verdict and the event it appended.
    const log = await bed.evaluatorLog(events.at(-1));
    expect(log).toMatch(new RegExp(`item episode ${item!.episodeId}: reach-v3 #0, seed 1000, slot 0, delivery 1`));
    expect(log).toMatch(/ session agent started: .* limits in force: \{/);
    expect(log).toMatch(new RegExp(`verdict episode ${item!.episodeId}: CRASH, fault agent: .*the gripper is on fire`));
    expect(log).toMatch(/ event appending EpisodeFailed for episode .*: fault miner, CRASH/);
    await eventually('the item acked', async () => (await bed.queued()) === 0);
    await bed.stopEvaluator(running);
  }, 40_000);

  it('fails the episode with fault miner when the agent exits mid-episode (hostile CrashesMidEpisode: exit 3)', async () => {
    const agent = await hostileRepo('crashes', 'agents:CrashesMidEpisode');
    const running = await bed.startEvaluator();
    const [item] = await bed.evaluation(agent, benchmark);
    const events = await settled(item!.episodeId);
    expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeFailed']);
    expect(dataOf(events, 'EpisodeFailed')[0]).toMatchObject({ fault: 'miner', verdict: 'CRASH', reason: expect.stringMatching(/3/) });
    await bed.stopEvaluator(running);
  }, 40_000);

  it('fails with fault miner, without starting an agent, a repo without a valid manifest or over the size limit', async () => {
    const running = await bed.startEvaluator();
    const noManifest = await bed.agentRepo('no-manifest', resolve(REACH_EXPERT_DIR), { 'kinitro.json': JSON.stringify({ name: 'x' }) });
    const [invalid] = await bed.evaluation(noManifest, benchmark);
    const expert = await bed.agentRepo('too-big', resolve(REACH_EXPERT_DIR));
    const [tooBig] = await bed.evaluation(expert, benchmark, { maxRepoBytes: 100 });
    const [a, b] = await Promise.all([settled(invalid!.episodeId), settled(tooBig!.episodeId)]);
    expect(dataOf(a, 'EpisodeFailed')[0]).toMatchObject({
      fault: 'miner',
      verdict: 'PROTOCOL',
      reason: expect.stringMatching(/kinitro\.json .* invalid: version: is required/),
    });
    expect(dataOf(b, 'EpisodeFailed')[0]).toMatchObject({
      fault: 'miner',
      verdict: 'PROTOCOL',
      reason: expect.stringMatching(/too large.*more than the limit of 100 B/),
    });
    await bed.stopEvaluator(running);
  }, 40_000);

  it('retries while the Hub is down, then fails the episode with fault infrastructure after EVALUATOR_MAX_ATTEMPTS', async () => {
    const agent = await bed.agentRepo('hub-down', resolve(REACH_EXPERT_DIR));
    bed.hub.setFault({ kind: 'down' });
    try {
      const running = await bed.startEvaluator({ EVALUATOR_MAX_ATTEMPTS: 2 });
      const [item] = await bed.evaluation(agent, benchmark);
      const events = await settled(item!.episodeId);
      expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeStarted', 'EpisodeFailed']);
      expect(dataOf(events, 'EpisodeStarted').map((e) => e.attempt)).toEqual([1, 2]);
      expect(dataOf(events, 'EpisodeFailed')[0]).toMatchObject({
        fault: 'infrastructure',
        verdict: 'INTERNAL',
        attempt: 2,
        reason: expect.stringMatching(/^gave up after 2 attempts: .*503/),
      });
      // One process ran both attempts: its log has both deliveries, the hand-back and the final failure, in order.
      const log = await bed.evaluatorLog(events.at(-1));
      expect(log).toMatch(
        / item .*delivery 1,[^]* error .*503[^]* retry .*attempt 1 of 2 failed \(INTERNAL\)[^]* item .*delivery 2,[^]* event appending EpisodeFailed .*fault infrastructure/,
      );
      await eventually('the item acked', async () => (await bed.queued()) === 0);
      await bed.stopEvaluator(running);
    } finally {
      bed.hub.setFault({ kind: 'none' });
    }
  }, 40_000);

  it('retries an episode whose upload failed and records it on the next attempt, the objects written before the event', async () => {
    const agent = await bed.agentRepo('store-fails', resolve(REACH_EXPERT_DIR));
    const objects = new FailingStore(join(bed.dir, 'objects'), 1);
    const running = await bed.startEvaluator({}, { objects, uploadRetry: { attempts: 1, baseDelayMs: 1 } });
    const [item] = await bed.evaluation(agent, benchmark);
    const events = await settled(item!.episodeId);
    expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeStarted', 'EpisodeRecorded']);
    const [recorded] = dataOf(events, 'EpisodeRecorded');
    expect(recorded).toMatchObject({ attempt: 2, steps: 50, truncated: true });
    expect(await bed.objects.exists((recorded!.trajectory as { key: string }).key)).toBe(true);
    // The trajectory refused once, then the trajectory and the evaluator log.
    expect(objects.writes).toBe(3);
    await bed.stopEvaluator(running);
  }, 40_000);

  it('acks untouched the items of a timed-out evaluation or past their deadline, and dead-letters an item that is not one', async () => {
    const agent = await bed.agentRepo('not-run', resolve(REACH_EXPERT_DIR));
    const [timedOut] = await bed.plan(agent, benchmark);
    await bed.store.append(
      'job',
      timedOut!.jobId,
      [newEvent('JobTimedOut', { jobId: timedOut!.jobId, validator: timedOut!.validator, deadline: new Date().toISOString() })],
      { expected: 'any' },
    );
    const [late] = await bed.plan(agent, benchmark, { deadline: new Date(Date.now() - 1_000).toISOString() });
    const running = await bed.startEvaluator();
    await bed.publish(timedOut!);
    await bed.publish(late!);
    await bed.publish({ kind: 'episode', version: 1, evaluationId: 'not-a-uuid' }, episodeWorkSubject(bed.topology, VALIDATOR, timedOut!.evaluationId, 99));

    const deadLetters = new DeadLetters(bed.nats.js, bed.nats.jsm, bed.topology);
    const [letter] = await eventually('the dead letter', async () => {
      const records = await deadLetters.list({ consumer: evaluatorDurable(VALIDATOR) });
      return records.length > 0 && records;
    });
    expect(letter!.reason).toMatch(/^poison message: .*evaluationId/s);
    await eventually('every item acked', async () => (await bed.queued()) === 0);
    expect(await bed.episode(timedOut!.episodeId)).toEqual([]);
    expect(await bed.episode(late!.episodeId)).toEqual([]);
    await bed.stopEvaluator(running);
  }, 30_000);
});
