import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AckPolicy } from '@nats-io/jetstream';
import { episodeWorkItemSchema, episodeWorkSubject, evaluatorDurable, topology, validatorWorkFilter, type EpisodeWorkItem, type Topology } from '#contracts';
import { episodeIdFor } from '#domain';
import { applyTopology, connect, deleteTopology, type JetStreamConnection } from '#eventing';
import { testNamespace, testServices } from '#testing';
import { JetStreamWorkQueue } from './work-queue.js';

const VALIDATOR = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const OTHER_VALIDATOR = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const EVALUATION_A = '0192f1a0-7c3e-7902-8a1b-00000000000a';
const EVALUATION_B = '0192f1a0-7c3e-7902-8a1b-00000000000b';

const item = (evaluationId: string, slot: number, validator = VALIDATOR): EpisodeWorkItem =>
  episodeWorkItemSchema.parse({
    kind: 'episode',
    version: 1,
    evaluationId,
    jobId: '0192f1a0-7c3e-7901-8a1b-000000000901',
    validator,
    episodeId: episodeIdFor(evaluationId, slot),
    slot,
    task: 'CartPole-v1',
    episodeIndex: slot,
    seed: 100 + slot,
    plannedEpisodes: 3,
    repo: 'bob/agent',
    revision: 'abcdef0123456789abcdef0123456789abcdef01',
    benchmark: { name: 'control', provider: 'control', tasks: ['CartPole-v1'], episodesPerTask: 3, maxSteps: 50, timeoutSeconds: 600, seeds: [100, 101, 102] },
    deadline: '2099-01-01T00:00:00.000Z',
    maxRepoBytes: 1_000_000,
  });

let nats: JetStreamConnection;
let t: Topology;
let queue: JetStreamWorkQueue;

beforeAll(async () => {
  t = topology(testNamespace('validator work queue'));
  nats = await connect((await testServices()).natsUrl, 'work-queue-test');
  await applyTopology(nats.jsm, t, { replicas: 1 });
  queue = new JetStreamWorkQueue(nats.js, nats.jsm, t, VALIDATOR);
});

afterAll(async () => {
  await deleteTopology(nats.jsm, t);
  await nats.close();
});

describe('withdrawing an evaluation from the work stream', () => {
  it("takes off that evaluation's items and leaves every other item deliverable to the evaluators' consumer", async () => {
    await nats.jsm.consumers.add(t.workStream, {
      durable_name: evaluatorDurable(VALIDATOR),
      ack_policy: AckPolicy.Explicit,
      filter_subject: validatorWorkFilter(t, VALIDATOR),
    });
    // A and B interleaved on the stream, as two evaluations planned at once are.
    await queue.publish([
      item(EVALUATION_A, 0),
      item(EVALUATION_B, 0),
      item(EVALUATION_A, 1),
      item(EVALUATION_B, 1),
      item(EVALUATION_A, 2),
      item(EVALUATION_B, 2),
    ]);
    const consumer = await nats.js.consumers.get(t.workStream, evaluatorDurable(VALIDATOR));
    const first = (await consumer.next({ expires: 2000 }))!;
    expect(first.json<EpisodeWorkItem>()).toMatchObject({ evaluationId: EVALUATION_A, slot: 0 });
    first.ack();

    await queue.withdraw(EVALUATION_A);

    const queued = await queue.queued();
    expect(queued.get(EVALUATION_A)).toBeUndefined();
    expect([...queued.get(EVALUATION_B)!].sort()).toEqual([0, 1, 2]);
    // On NATS 2.9 a filtered purge here would move the consumer past B's items: they would never be delivered.
    const delivered: [string, number][] = [];
    for (let i = 0; i < 3; i++) {
      const msg = await consumer.next({ expires: 2000 });
      if (!msg) break;
      const { evaluationId, slot } = msg.json<EpisodeWorkItem>();
      delivered.push([evaluationId, slot]);
      msg.ack();
    }
    expect(delivered).toEqual([
      [EVALUATION_B, 0],
      [EVALUATION_B, 1],
      [EVALUATION_B, 2],
    ]);
  });
});

describe('one validator’s work', () => {
  it('is published under its SS58, and the queue neither publishes, sees nor withdraws another validator’s', async () => {
    const EVALUATION_C = '0192f1a0-7c3e-7902-8a1b-00000000000c';
    await queue.publish([item(EVALUATION_C, 0)]);
    const held = await nats.jsm.streams.info(t.workStream, { subjects_filter: episodeWorkSubject(t, VALIDATOR, EVALUATION_C, 0) });
    expect(Object.keys(held.state.subjects ?? {})).toEqual([`${t.namespace}.work.episode.${VALIDATOR}.${EVALUATION_C}.0`]);
    await expect(queue.publish([item(EVALUATION_C, 1, OTHER_VALIDATOR)])).rejects.toThrow(/validator 5FLSigC9.*'s work, not 5FHneW46/);
    // Another validator's item on the same stream (its own queue published it).
    const other = new JetStreamWorkQueue(nats.js, nats.jsm, t, OTHER_VALIDATOR);
    await other.publish([item(EVALUATION_C, 1, OTHER_VALIDATOR)]);
    expect([...(await queue.queued()).get(EVALUATION_C)!]).toEqual([0]);
    await queue.withdraw(EVALUATION_C);
    expect((await queue.queued()).get(EVALUATION_C)).toBeUndefined();
    expect([...(await other.queued()).get(EVALUATION_C)!]).toEqual([1]);
  });
});
