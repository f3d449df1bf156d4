import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '#testing';
import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { newEvent, topology, type RecordedEventOf, type Topology } from '#contracts';
import { testNamespace, testServices } from '#testing';
import type { JetStreamConnection } from '../connection.js';
import type { JetStreamEventStore } from '../event-store.js';
import { cancellationRequested } from '../testing/test-bed.js';
import { connect } from '../connection.js';
import { applyTopology, deleteTopology } from '../topology.js';
import { EventingModule } from './eventing.module.js';
import type { JetStreamContext } from './jetstream.context.js';
import { JetStreamServer } from './jetstream.server.js';
import { OnEvent } from './on-event.decorator.js';
import { EVENT_STORE, NATS_CONNECTION, TOPOLOGY } from './tokens.js';

const received: { eventId: string; jobId: string; subject: string; delivery: number }[] = [];
const cancelledDeliveries: number[] = [];

@Controller()
class Reactions {
  @OnEvent('JobCancellationRequested')
  onCancellationRequested(@Payload() event: RecordedEventOf<'JobCancellationRequested'>, @Ctx() ctx: JetStreamContext): void {
    received.push({ eventId: event.eventId, jobId: event.data.jobId, subject: ctx.getSubject(), delivery: ctx.getDeliveryCount() });
  }

  @OnEvent('JobCancelled')
  async onJobCancelled(@Payload() _event: RecordedEventOf<'JobCancelled'>, @Ctx() ctx: JetStreamContext): Promise<void> {
    cancelledDeliveries.push(ctx.getDeliveryCount());
    if (ctx.getDeliveryCount() === 1) throw new Error('first delivery fails');
  }
}

/** What the topology owner (the projector) does before the app starts: the module only verifies. */
const applyOnce = async (natsUrl: string, namespace: string) => {
  const owner = await connect(natsUrl, 'topology-owner');
  await applyTopology(owner.jsm, topology(namespace), { replicas: 1 });
  await owner.close();
};

let app: INestApplication;
let server: JetStreamServer;
let store: JetStreamEventStore;
let t: Topology;

beforeAll(async () => {
  const { natsUrl } = await testServices();
  const namespace = testNamespace('nest server');
  await applyOnce(natsUrl, namespace);
  const moduleRef = await Test.createTestingModule({
    imports: [EventingModule.forRoot({ natsUrl, namespace, app: 'nest-test', version: '1.2.3', replicas: 1 })],
    controllers: [Reactions],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  t = app.get(TOPOLOGY);
  server = JetStreamServer.fromApp(app, { durable: 'nest_test', maxDeliver: 3, backoffMs: [50], ackWaitMs: 2_000 });
  app.connectMicroservice({ strategy: server });
  await app.startAllMicroservices();
  await app.init();
  store = app.get(EVENT_STORE);
});

afterAll(async () => {
  const connection = app.get<JetStreamConnection>(NATS_CONNECTION);
  await server.close();
  await deleteTopology(connection.jsm, t);
  await app.close();
});

describe('JetStreamServer in a hybrid Nest app', () => {
  it('delivers an appended event to its @EventPattern handler, typed, with the JetStream context', async () => {
    const aggregateId = randomUUID();
    const jobId = randomUUID();
    const [event] = await store.append('request', aggregateId, [cancellationRequested(aggregateId, { jobId })], { expected: { version: 0, lastSequence: 0 } });
    expect(event!.producer).toEqual({ app: 'nest-test', version: '1.2.3' });
    await eventually('the condition', () => received.some((r) => r.eventId === event!.eventId));
    expect(received.find((r) => r.eventId === event!.eventId)).toEqual({
      eventId: event!.eventId,
      jobId,
      subject: t.eventSubject('request', aggregateId),
      delivery: 1,
    });
  });

  it('redelivers an event whose handler threw', async () => {
    const jobId = randomUUID();
    await store.append('job', jobId, [newEvent('JobCancelled', { jobId, reason: 'test', requestedBy: 'op' })], { expected: 'any' });
    await eventually('the condition', () => cancelledDeliveries.length === 2);
    expect(cancelledDeliveries).toEqual([1, 2]);
  });

  it('acks event types that no handler wants', async () => {
    const jsm = app.get<JetStreamConnection>(NATS_CONNECTION).jsm;
    const keyId = randomUUID();
    await store.append('api-key', keyId, [newEvent('ApiKeyRevoked', { keyId, revokedBy: 'op' })], { expected: 'any' });
    const last = (await jsm.streams.info(t.eventsStream)).state.last_seq;
    await eventually('the condition', async () => (await jsm.consumers.info(t.eventsStream, 'nest_test')).ack_floor.stream_seq === last);
  });
});
