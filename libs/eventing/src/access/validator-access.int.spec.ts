import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { createUser } from '@nats-io/nkeys';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent, topology } from '#contracts';
import { eventually } from '#testing';
import { connect, type JetStreamConnection } from '../connection.js';
import { jsonDecoder, runConsumer } from '../consumer-runner.js';
import { JetStreamEventReader } from '../event-reader.js';
import { JetStreamEventStore } from '../event-store.js';
import { applyTopology, verifyTopology } from '../topology.js';
import { natsAuthorization, renderAuthorization } from './nats-authorization.js';
import { startNatsServer, type NatsServerProcess } from './testing/nats-server-process.js';
import { evaluatorDurable, validatorDurable, validatorWorkFilter } from '#contracts';
import { validatorInboxPrefix } from './validator-permissions.js';

// Two well-known dev accounts (//Alice, //Bob) as the two validators' hotkeys.
const A = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const B = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const NETUID = 7;
const t = topology('kinitro');

/** What nats-server answers a publish or subscribe the user's permissions refuse (nats.js reports it in the error's message). */
const PERMISSION = /permissions violation/i;

let dir: string;
let server: NatsServerProcess;
let owner: JetStreamConnection;
let a: JetStreamConnection;
const seeds: Record<string, string> = {};
const publicKeys: Record<string, string> = {};

const newSeed = async (name: string): Promise<void> => {
  const user = createUser();
  seeds[name] = join(dir, `${name}.nk`);
  publicKeys[name] = user.getPublicKey();
  await writeFile(seeds[name], new TextDecoder().decode(user.getSeed()), { mode: 0o600 });
};

const workItem = (validator: string) => ({ evaluationId: randomUUID(), validator });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-access-'));
  for (const name of ['owner', 'a', 'b']) await newSeed(name);
  const authorization = natsAuthorization({
    topology: t,
    netuids: [NETUID],
    owners: [publicKeys.owner!],
    validators: [
      { hotkey: A, nkey: publicKeys.a! },
      { hotkey: B, nkey: publicKeys.b! },
    ],
  });
  server = await startNatsServer(renderAuthorization(authorization, 'validator access test'));
  owner = await connect(server.url, 'owner', { nkeySeedFile: seeds.owner });
  await applyTopology(owner.jsm, t, { replicas: 1 });
  await new Kvm(owner.js).create(t.activityBucket, { history: 1, ttl: 60 * 60 * 1000 });
  a = await connect(server.url, 'validator-a', { nkeySeedFile: seeds.a, inboxPrefix: validatorInboxPrefix(A) });
}, 60_000);

afterAll(async () => {
  await a?.close();
  await owner?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("a validator operator's NATS user (nats-server with the generated authorization)", () => {
  it('verifies the topology and appends and loads an evaluation through the real event store', async () => {
    await verifyTopology(a.jsm, t, { replicas: 1 });
    const store = new JetStreamEventStore(a.js, a.jsm, { topology: t, producer: { app: 'validator', version: 'test' } });
    const evaluationId = randomUUID();
    const [claimed] = await store.append(
      'evaluation',
      evaluationId,
      [newEvent('EvaluationClaimed', { evaluationId, jobId: randomUUID(), validator: A, plannedEpisodes: 2 })],
      {
        expected: { version: 0, lastSequence: 0 },
      },
    );
    expect(claimed!.aggregateVersion).toBe(1);
    const loaded = await store.load('evaluation', evaluationId);
    expect(loaded.events.map((e) => e.type)).toEqual(['EvaluationClaimed']);
    const reader = new JetStreamEventReader(a.js, a.jsm, t);
    const seen = [];
    for await (const item of reader.read({ fromSequence: 1 })) seen.push(item);
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });

  it('consumes the events stream through its own durable and acks', async () => {
    const delivered: string[] = [];
    const consumer = await runConsumer({
      js: a.js,
      jsm: a.jsm,
      topology: t,
      durable: validatorDurable(A),
      filterSubject: t.allEventsSubject,
      maxDeliver: 3,
      backoffMs: [50],
      ackWaitMs: 5_000,
      handler: async (event) => {
        delivered.push(event.eventId);
      },
    });
    try {
      const last = (await owner.jsm.streams.info(t.eventsStream)).state.last_seq;
      await eventually(
        'the validator durable to ack every event',
        async () => (await owner.jsm.consumers.info(t.eventsStream, validatorDurable(A))).ack_floor.stream_seq === last,
      );
      expect(delivered.length).toBe(last);
    } finally {
      await consumer.stop();
    }
  });

  it('publishes its own work and pulls it as its evaluators durable', async () => {
    const item = workItem(A);
    const subject = `${t.workSubject('episode', `${A}.${item.evaluationId}`)}.0`;
    await a.js.publish(subject, JSON.stringify(item));
    const pulled: string[] = [];
    const consumer = await runConsumer({
      js: a.js,
      jsm: a.jsm,
      topology: t,
      stream: t.workStream,
      durable: evaluatorDurable(A),
      filterSubject: validatorWorkFilter(t, A),
      maxDeliver: 3,
      backoffMs: [50],
      ackWaitMs: 5_000,
      decode: jsonDecoder((v) => v as { evaluationId: string }),
      handler: async (work) => {
        pulled.push(work.evaluationId);
      },
    });
    try {
      await eventually(
        'the work item to be pulled and acked',
        async () => pulled.includes(item.evaluationId) && (await owner.jsm.streams.info(t.workStream)).state.messages === 0,
      );
    } finally {
      await consumer.stop();
    }
  });

  it('reads and withdraws its queued work one message at a time', async () => {
    const item = workItem(A);
    const subject = `${t.workSubject('episode', `${A}.${item.evaluationId}`)}.1`;
    await a.js.publish(subject, JSON.stringify(item));
    const counts = (await a.jsm.streams.info(t.workStream, { subjects_filter: validatorWorkFilter(t, A) })).state.subjects ?? {};
    expect(counts[subject]).toBe(1);
    const message = await a.jsm.streams.getMessage(t.workStream, { last_by_subj: subject });
    expect(await a.jsm.streams.deleteMessage(t.workStream, message!.seq, false)).toBe(true);
  });

  it('writes and clears an evaluator heartbeat in the activity bucket', async () => {
    const kv = await new Kvm(a.js).open(t.activityBucket);
    const key = `${randomUUID()}.0`;
    await kv.put(key, JSON.stringify({ step: 1 }));
    expect((await (await new Kvm(owner.js).open(t.activityBucket)).get(key))?.json()).toEqual({ step: 1 });
    await kv.delete(key);
  });

  it('appends to its own weights subject and records dead letters of its own two durables', async () => {
    for (const subject of [t.eventSubject('weights', `${NETUID}:${A}`), t.deadLetterSubject(validatorDurable(A)), t.deadLetterSubject(evaluatorDurable(A))]) {
      expect((await a.js.publish(subject, '{}')).seq).toBeGreaterThan(0);
    }
  });

  describe('refuses', () => {
    it.each([
      ['a JobCreated subject', () => t.eventSubject('job', randomUUID())],
      ['a submission subject', () => t.eventSubject('submission', randomUUID())],
      ['a competition subject', () => t.eventSubject('competition', 'mt10')],
      ['a commitment subject', () => t.eventSubject('commitment', `${NETUID}:${A}`)],
      ['a metagraph subject', () => t.eventSubject('metagraph', String(NETUID))],
      ['a request subject', () => t.eventSubject('request', randomUUID())],
      ['an api-key subject', () => t.eventSubject('api-key', randomUUID())],
      ["validator B's weights subject", () => t.eventSubject('weights', `${NETUID}:${B}`)],
      ['its weights on a subnet it was not given', () => t.eventSubject('weights', `${NETUID + 1}:${A}`)],
      ["validator B's dead letters", () => t.deadLetterSubject(validatorDurable(B))],
      ["the scheduler's dead letters", () => t.deadLetterSubject('scheduler')],
      ["validator B's work", () => `${t.workSubject('episode', `${B}.${randomUUID()}`)}.0`],
      ['work without a validator', () => `${t.workSubject('episode', randomUUID())}.0`],
    ])('publishing on %s', async (_, subject) => {
      await expect(a.js.publish(subject(), '{}', { timeout: 5_000 })).rejects.toThrow(PERMISSION);
    });

    it('appending a job event (JobCancelled) through the event store', async () => {
      const store = new JetStreamEventStore(a.js, a.jsm, { topology: t, producer: { app: 'validator', version: 'test' } });
      const jobId = randomUUID();
      await expect(
        store.append('job', jobId, [newEvent('JobCancelled', { jobId, reason: 'x', requestedBy: 'a' })], { expected: { version: 0, lastSequence: 0 } }),
      ).rejects.toThrow(PERMISSION);
    });

    it("consuming validator B's work: B's evaluators durable, A's durable or another filtered on B's work, an ephemeral consumer", async () => {
      const stolen = workItem(B);
      await owner.js.publish(`${t.workSubject('episode', `${B}.${stolen.evaluationId}`)}.0`, JSON.stringify(stolen));
      await owner.jsm.consumers.add(t.workStream, {
        durable_name: evaluatorDurable(B),
        ack_policy: AckPolicy.Explicit,
        filter_subject: validatorWorkFilter(t, B),
      });
      await expect(a.jsm.consumers.info(t.workStream, evaluatorDurable(B))).rejects.toThrow(PERMISSION);
      await expect(
        a.nc.request(`$JS.API.CONSUMER.MSG.NEXT.${t.workStream}.${evaluatorDurable(B)}`, JSON.stringify({ batch: 1, no_wait: true })),
      ).rejects.toThrow(PERMISSION);
      await expect((await a.js.consumers.get(t.workStream, evaluatorDurable(A))).next({ expires: 1_000 })).resolves.toBeNull();
      await expect(
        a.jsm.consumers.add(t.workStream, { durable_name: evaluatorDurable(A), ack_policy: AckPolicy.Explicit, filter_subject: validatorWorkFilter(t, B) }),
      ).rejects.toThrow(PERMISSION);
      await expect(
        a.jsm.consumers.add(t.workStream, { durable_name: 'thief', ack_policy: AckPolicy.Explicit, filter_subject: validatorWorkFilter(t, B) }),
      ).rejects.toThrow(PERMISSION);
      await expect(a.jsm.consumers.add(t.workStream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All })).rejects.toThrow(PERMISSION);
      expect((await owner.jsm.streams.info(t.workStream, { subjects_filter: validatorWorkFilter(t, B) })).state.messages).toBe(1);
    });

    it("validator B's durable and the scheduler's on the events stream: create or update, read, pull, delete", async () => {
      await owner.jsm.consumers.add(t.eventsStream, { durable_name: validatorDurable(B), ack_policy: AckPolicy.Explicit, filter_subject: t.allEventsSubject });
      await owner.jsm.consumers.add(t.eventsStream, { durable_name: 'scheduler', ack_policy: AckPolicy.Explicit, filter_subject: t.allEventsSubject });
      for (const durable of [validatorDurable(B), 'scheduler']) {
        await expect(
          a.jsm.consumers.add(t.eventsStream, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: t.allEventsSubject, max_deliver: 1 }),
        ).rejects.toThrow(PERMISSION);
        await expect(a.jsm.consumers.delete(t.eventsStream, durable)).rejects.toThrow(PERMISSION);
        await expect(a.jsm.consumers.info(t.eventsStream, durable)).rejects.toThrow(PERMISSION);
        await expect(a.nc.request(`$JS.API.CONSUMER.MSG.NEXT.${t.eventsStream}.${durable}`, JSON.stringify({ batch: 1, no_wait: true }))).rejects.toThrow(
          PERMISSION,
        );
      }
      const scheduler = await owner.jsm.consumers.info(t.eventsStream, 'scheduler');
      expect([scheduler.config.max_deliver, scheduler.num_ack_pending, scheduler.delivered.stream_seq]).toEqual([-1, 0, 0]);
    });

    it.each([
      ['the events subjects', t.allEventsSubject],
      ["validator B's inbox", `${validatorInboxPrefix(B)}.>`],
      ['the default inbox', '_INBOX.>'],
      ['JetStream advisories', '$JS.EVENT.>'],
    ])('subscribing to %s', async (_, subject) => {
      const sub = a.nc.subscribe(subject);
      await expect(sub.closed).resolves.toThrow(PERMISSION);
    });

    it('purging or deleting a stream, creating one', async () => {
      await expect(a.jsm.streams.purge(t.workStream)).rejects.toThrow(PERMISSION);
      await expect(a.jsm.streams.purge(t.eventsStream)).rejects.toThrow(PERMISSION);
      await expect(a.jsm.streams.delete(t.workStream)).rejects.toThrow(PERMISSION);
      await expect(a.jsm.streams.add({ name: 'STOLEN', subjects: [`${t.namespace}.evt.job.>`] })).rejects.toThrow(PERMISSION);
    });
  });
});
