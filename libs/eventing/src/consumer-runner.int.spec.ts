import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, testServices } from '#testing';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RecordedEvent } from '#contracts';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { connect } from './connection.js';
import { jsonDecoder, runConsumer, type ConsumerOptions, type MessageContext, type RunningConsumer } from './consumer-runner.js';
import { DeadLetters, type DeadLetterInput } from './dead-letters.js';
import { RetryableError } from './errors.js';
import { JetStreamEventStore } from './event-store.js';
import { cancellationRequested, startTestBed, type EventingTestBed } from './testing/test-bed.js';

let bed: EventingTestBed;
let store: JetStreamEventStore;
let deadLetters: DeadLetters;
const running: RunningConsumer[] = [];

beforeAll(async () => {
  bed = await startTestBed('consumer runner');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer: { app: 'test', version: '1' } });
  deadLetters = new DeadLetters(bed.js, bed.jsm, bed.topology);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});
afterAll(() => bed.dispose());

/** Each test gets its own aggregate (= subject) and durable, so tests never see each other's messages. */
const scenario = () => {
  const aggregateId = randomUUID();
  return { aggregateId, subject: bed.topology.eventSubject('request', aggregateId), durable: `c_${aggregateId.slice(0, 8)}` };
};

const start = async (
  durable: string,
  filterSubject: string,
  handler: (event: RecordedEvent, ctx: MessageContext) => Promise<void>,
  overrides: Partial<Pick<ConsumerOptions<RecordedEvent>, 'maxDeliver' | 'backoffMs' | 'ackWaitMs' | 'deadLetters'>> = {},
) => {
  const consumer = await runConsumer({
    js: bed.js,
    jsm: bed.jsm,
    topology: bed.topology,
    durable,
    filterSubject,
    features: bed.features,
    maxDeliver: 3,
    backoffMs: [50, 100],
    ackWaitMs: 2_000,
    handler,
    ...overrides,
  });
  running.push(consumer);
  return consumer;
};

const consumerState = (durable: string, stream = bed.topology.eventsStream) => bed.jsm.consumers.info(stream, durable);

const deadLettered = (durable: string) =>
  eventually(`a dead letter from ${durable}`, async () => {
    const records = await deadLetters.list({ consumer: durable });
    return records.length > 0 && records;
  });

describe('runConsumer', () => {
  it('acks what the handler handled', async () => {
    const { aggregateId, subject, durable } = scenario();
    const [first, second] = await store.append('request', aggregateId, [cancellationRequested(aggregateId), cancellationRequested(aggregateId)], {
      expected: 'any',
    });
    const seen: string[] = [];
    await start(durable, subject, async (event) => {
      seen.push(event.eventId);
    });
    await eventually('the condition', async () => (await consumerState(durable)).ack_floor.stream_seq === second!.streamSequence);
    expect(seen).toEqual([first!.eventId, second!.eventId]);
    expect((await consumerState(durable)).num_ack_pending).toBe(0);
  });

  it('dead-letters and terminates a poison message, then goes on to the next one', async () => {
    const { aggregateId, subject, durable } = scenario();
    const garbage = new Uint8Array([0x7b, 0x22, 0xff]);
    const poison = await bed.js.publish(subject, garbage);
    const [valid] = await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: { version: 0, lastSequence: poison.seq } });
    const seen: string[] = [];
    await start(durable, subject, async (event) => {
      seen.push(event.eventId);
    });
    await eventually('the condition', () => seen.length === 1);
    expect(seen).toEqual([valid!.eventId]);
    const [record] = await deadLettered(durable);
    expect(record).toMatchObject({ consumer: durable, streamSequence: poison.seq, subject, rawBase64: Buffer.from(garbage).toString('base64') });
    expect(record!.reason).toMatch(/poison message.*not UTF-8 JSON/);
    expect(record!.issues).toHaveLength(1);
    // Terminated, not left pending: the ack floor moves past it well before ack_wait could redeliver it.
    await eventually('the condition', async () => (await consumerState(durable)).ack_floor.stream_seq === valid!.streamSequence, 1_500);
    expect((await consumerState(durable)).num_redelivered).toBe(0);
  });

  it('naks a transient failure with backoff and succeeds on the next delivery', async () => {
    const { aggregateId, subject, durable } = scenario();
    const [event] = await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any' });
    const deliveries: number[] = [];
    await start(durable, subject, async (_event, ctx) => {
      deliveries.push(ctx.deliveryCount);
      if (ctx.deliveryCount === 1) throw new RetryableError('database not ready');
    });
    await eventually('the condition', async () => (await consumerState(durable)).ack_floor.stream_seq === event!.streamSequence);
    expect(deliveries).toEqual([1, 2]);
    expect(await deadLetters.list({ consumer: durable })).toEqual([]);
  });

  it('never acks an unknown failure and dead-letters it after max_deliver, then goes on', async () => {
    const { aggregateId, subject, durable } = scenario();
    const [failing, next] = await store.append('request', aggregateId, [cancellationRequested(aggregateId), cancellationRequested(aggregateId)], {
      expected: 'any',
    });
    const attempts: number[] = [];
    const handled: string[] = [];
    await start(durable, subject, async (event, ctx) => {
      if (event.eventId === failing!.eventId) {
        attempts.push(ctx.deliveryCount);
        throw new Error('unexpected bug');
      }
      handled.push(event.eventId);
    });
    const [record] = await deadLettered(durable);
    expect(attempts).toEqual([1, 2, 3]);
    expect(record).toMatchObject({ streamSequence: failing!.streamSequence, reason: 'failed on delivery 3 of 3: unexpected bug' });
    await eventually('the condition', () => handled.length === 1);
    expect(handled).toEqual([next!.eventId]);
  });

  it('lets a long handler keep its message with working()', async () => {
    const { aggregateId, subject, durable } = scenario();
    await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any' });
    const deliveries: number[] = [];
    const consumer = await runConsumer({
      js: bed.js,
      jsm: bed.jsm,
      topology: bed.topology,
      durable,
      filterSubject: subject,
      maxDeliver: 3,
      backoffMs: [50],
      ackWaitMs: 400,
      handler: async (_event, ctx) => {
        deliveries.push(ctx.deliveryCount);
        for (let i = 0; i < 6; i++) {
          await new Promise((resolve) => setTimeout(resolve, 150));
          ctx.working();
        }
      },
    });
    running.push(consumer);
    await eventually('the condition', async () => (await consumerState(durable)).ack_floor.stream_seq > 0);
    expect(deliveries).toEqual([1]);
  });

  it('runs work-queue items through a caller-supplied parser; acked items leave the queue', async () => {
    const kind = `k${randomUUID().slice(0, 8)}`;
    const durable = `w_${kind}`;
    const item = z.object({ jobId: z.uuid(), episode: z.int() });
    const seen: z.infer<typeof item>[] = [];
    const consumer = await runConsumer({
      js: bed.js,
      jsm: bed.jsm,
      topology: bed.topology,
      stream: bed.topology.workStream,
      durable,
      filterSubject: bed.topology.workSubject(kind, '>'),
      maxDeliver: 3,
      backoffMs: [50],
      ackWaitMs: 2_000,
      decode: jsonDecoder((v) => item.parse(v)),
      handler: async (work) => {
        seen.push(work);
      },
    });
    running.push(consumer);
    const jobId = randomUUID();
    await bed.js.publish(bed.topology.workSubject(kind, 'a'), JSON.stringify({ jobId, episode: 1 }));
    const bad = await bed.js.publish(bed.topology.workSubject(kind, 'b'), JSON.stringify({ jobId: 'nope' }));
    await bed.js.publish(bed.topology.workSubject(kind, 'c'), JSON.stringify({ jobId, episode: 2 }));
    await eventually('the condition', () => seen.length === 2);
    expect(seen).toEqual([
      { jobId, episode: 1 },
      { jobId, episode: 2 },
    ]);
    const [record] = await deadLettered(durable);
    expect(record).toMatchObject({ streamSequence: bad.seq, subject: bed.topology.workSubject(kind, 'b') });
    await eventually(
      'the condition',
      async () => (await bed.jsm.streams.info(bed.topology.workStream, { subjects_filter: bed.topology.workSubject(kind, '>') })).state.messages === 0,
    );
  });

  it('stops gracefully and resumes where it left off with the same durable', async () => {
    const { aggregateId, subject, durable } = scenario();
    const seen: string[] = [];
    const handler = async (event: RecordedEvent) => {
      seen.push(event.eventId);
    };
    const first = await start(durable, subject, handler);
    const [a] = await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any' });
    await eventually('the condition', () => seen.length === 1);
    await first.stop();
    const [b] = await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any' });
    await start(durable, subject, handler);
    await eventually('the condition', () => seen.length === 2);
    expect(seen).toEqual([a!.eventId, b!.eventId]);
  });

  it('dead-letters a message whose dead letter failed on its last delivery', async () => {
    const { aggregateId, subject, durable } = scenario();
    const [event] = await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any' });
    let refusals = 0;
    const flakyDeadLetters = {
      record: async (input: DeadLetterInput) => {
        if (refusals++ === 0) throw new Error('DLQ briefly unavailable');
        return deadLetters.record(input);
      },
    } as DeadLetters;
    const attempts: number[] = [];
    await start(
      durable,
      subject,
      async (_event, ctx) => {
        attempts.push(ctx.deliveryCount);
        throw new Error('always fails');
      },
      { maxDeliver: 2, deadLetters: flakyDeadLetters },
    );
    const [record] = await deadLettered(durable);
    expect(record).toMatchObject({ streamSequence: event!.streamSequence, reason: 'failed on delivery 2 of 2: always fails' });
    expect(attempts).toEqual([1, 2]);
    await eventually('the message terminated', async () => (await consumerState(durable)).ack_floor.stream_seq === event!.streamSequence);
  });

  it('dead-letters a message whose last attempt never finished because the process died', async () => {
    const { aggregateId, subject, durable } = scenario();
    const [event] = await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any' });
    const doomed = await connect((await testServices()).natsUrl, 'test-consumer-runner-doomed');
    let lastAttemptStarted = false;
    let releaseHandler: () => void = () => undefined;
    const dead = await runConsumer({
      js: doomed.js,
      jsm: doomed.jsm,
      topology: bed.topology,
      durable,
      filterSubject: subject,
      maxDeliver: 2,
      backoffMs: [50],
      ackWaitMs: 1_000,
      handler: async (_event, ctx) => {
        if (ctx.deliveryCount === 1) throw new Error('first attempt fails');
        lastAttemptStarted = true;
        await new Promise<void>((resolve) => (releaseHandler = resolve));
      },
    });
    await eventually('the last attempt in hand', () => lastAttemptStarted);
    await doomed.nc.close();
    const handledAfterRestart: number[] = [];
    await start(durable, subject, async (_event, ctx) => void handledAfterRestart.push(ctx.deliveryCount), {
      maxDeliver: 2,
      ackWaitMs: 1_000,
      backoffMs: [50],
    });
    const [record] = await deadLettered(durable);
    expect(record).toMatchObject({ streamSequence: event!.streamSequence });
    expect(record!.reason).toMatch(/^delivery 3 after 2 attempts: the last one did not finish/);
    expect(handledAfterRestart).toEqual([]);
    await eventually('the message terminated', async () => (await consumerState(durable)).ack_floor.stream_seq === event!.streamSequence);
    releaseHandler();
    await dead.stop().catch(() => undefined);
  });

  it('moves a durable with a server-side delivery limit to an unlimited one, idempotently', async () => {
    const { subject, durable } = scenario();
    await bed.jsm.consumers.add(bed.topology.eventsStream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(2_000),
      max_deliver: 3,
      filter_subject: subject,
    });
    const first = await start(durable, subject, async () => undefined);
    await first.stop();
    expect((await consumerState(durable)).config.max_deliver).toBe(-1);
    const second = await start(durable, subject, async () => undefined, { maxDeliver: 5 });
    await second.stop();
    expect((await consumerState(durable)).config.max_deliver).toBe(-1);
  });
});

describe('DeadLetters', () => {
  it('stores a record once when it is recorded twice', async () => {
    const consumer = `d_${randomUUID().slice(0, 8)}`;
    const input = { consumer, streamSequence: 42, subject: 'x.y', reason: 'bad', raw: new Uint8Array([1, 2, 3]) };
    await deadLetters.record(input);
    await deadLetters.record(input);
    const records = await deadLetters.list({ consumer });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ consumer, streamSequence: 42, reason: 'bad', issues: [], rawBase64: 'AQID' });
  });
});
