import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { Kvm, type KV } from '@nats-io/kv';
import { episodeHeartbeatKey, episodeHeartbeatSchema, type RecordedEvent } from '#contracts';
import { EXPERTS, makeMetaWorldEnv } from '#sim';
import { eventually } from '#testing';
import { startEvaluatorProcess, type EvaluatorProcess } from './testing/evaluator-process.js';
import { EvaluatorTestBed, REACH_EXPERT_DIR, reachBenchmark } from './testing/evaluator-test-bed.js';

// Evaluators as real processes (`node dist/apps/evaluator/src/main.js`, configured from the environment only),
// sharing one durable consumer: NATS hands each item to one of them, and one killed with SIGKILL mid-episode loses
// nothing: after the ack wait the item is redelivered and run again, with the same seed, and recorded once.
const ACK_WAIT_MS = 3_000;
let bed: EvaluatorTestBed;
let agent: { repo: string; revision: string };
const processes = new Set<EvaluatorProcess>();

const types = (events: RecordedEvent[]) => events.map((e) => e.type);
const dataOf = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);

/** An evaluator process with this test's ack wait; stopped after every test. */
const startProcess = async (id: string, ackWaitMs = ACK_WAIT_MS): Promise<EvaluatorProcess> => {
  const started = await startEvaluatorProcess(id, bed.env({ EVALUATOR_ACK_WAIT_MS: String(ackWaitMs) }), 20_000);
  processes.add(started);
  return started;
};

const recordedAll = (episodeIds: string[], timeoutMs: number) =>
  eventually(
    'every episode recorded',
    async () => {
      const all = await Promise.all(episodeIds.map((id) => bed.episode(id)));
      return all.every((events) => events.some((e) => e.type === 'EpisodeRecorded')) && all;
    },
    timeoutMs,
  );

let activity: KV;

beforeAll(async () => {
  bed = await EvaluatorTestBed.start('evaluator processes');
  agent = await bed.agentRepo('reach-expert', resolve(REACH_EXPERT_DIR));
}, 30_000);
afterEach(async () => {
  for (const started of processes) await started.stop('SIGKILL');
  processes.clear();
});
afterAll(() => bed?.dispose());

describe('evaluator processes', () => {
  it('share the items of an evaluation, each recorded once', async () => {
    // A long ack wait: with 3 s on this loaded machine an item was now and then run by both (recorded once all the
    // same), which this test is not about; the kill test below is.
    const [one, two] = await Promise.all([startProcess('proc-1', 30_000), startProcess('proc-2', 30_000)]);
    const items = await bed.evaluation(agent, reachBenchmark({ episodesPerTask: 4, seeds: [1, 2, 3, 4], maxSteps: 100 }));
    const episodes = await recordedAll(
      items.map((i) => i.episodeId),
      40_000,
    );
    for (const events of episodes) expect(types(events)).toEqual(['EpisodeStarted', 'EpisodeRecorded']);
    expect(new Set(episodes.map((events) => dataOf(events, 'EpisodeRecorded')[0]!.evaluator))).toEqual(new Set(['proc-1', 'proc-2']));
    // SIGTERM with nothing in hand: a clean exit.
    await one.stop('SIGTERM');
    await two.stop('SIGTERM');
    expect([one.child.exitCode, two.child.exitCode]).toEqual([0, 0]);
  }, 60_000);

  it('redelivers the item of an evaluator killed mid-episode after the ack wait; the re-run with the same seed is recorded once', async () => {
    const seed = 1000;
    const [item] = await bed.plan(agent, reachBenchmark({ episodesPerTask: 1, seeds: [seed], maxSteps: 300 }));
    const doomed = await startProcess('doomed');
    await bed.publish(item!);
    // The episode is running: its heartbeat is in the activity bucket, naming the doomed evaluator.
    activity = await new Kvm(bed.nats.js).open(bed.topology.activityBucket);
    const key = episodeHeartbeatKey(item!.evaluationId, item!.slot);
    const heartbeat = await eventually('the heartbeat', async () => {
      const entry = await activity.get(key);
      return entry?.operation === 'PUT' && episodeHeartbeatSchema.parse(entry.json());
    });
    expect(heartbeat).toMatchObject({ episodeId: item!.episodeId, evaluator: 'doomed', attempt: 1, maxSteps: 300 });
    await doomed.stop('SIGKILL');
    const killedAt = Date.now();

    await startProcess('survivor');
    const [events] = await recordedAll([item!.episodeId], 30_000);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(ACK_WAIT_MS - 500);
    expect(types(events!)).toEqual(['EpisodeStarted', 'EpisodeStarted', 'EpisodeRecorded']);
    expect(dataOf(events!, 'EpisodeStarted').map((e) => [e.evaluator, e.attempt, e.seed])).toEqual([
      ['doomed', 1, seed],
      ['survivor', 2, seed],
    ]);
    // The re-run is the same episode: the in-process expert's reward on that seed.
    const env = await makeMetaWorldEnv('reach-v3');
    let { observation } = env.reset({ seed });
    let totalReward = 0;
    for (let step = 0; step < 300; step++) {
      const result = env.step(EXPERTS['reach-v3']!.act(observation));
      totalReward += result.reward;
      observation = result.observation;
    }
    env.close();
    expect(dataOf(events!, 'EpisodeRecorded')[0]).toMatchObject({ evaluator: 'survivor', attempt: 2, seed, steps: 300, totalReward });
    // The episode is over: its heartbeat is gone.
    await eventually('the heartbeat deleted', async () => (await activity.get(key))?.operation !== 'PUT');
    await eventually('the queue empty', async () => (await bed.queued()) === 0);
  }, 60_000);
});
