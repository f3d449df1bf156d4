import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { eventually } from '#testing';
import { metricsExposition } from '#platform';
import { JsonLogger } from '#platform/nest';
import { runConsumer, type RunningConsumer } from './consumer-runner.js';
import { JetStreamEventStore } from './event-store.js';
import { cancellationRequested, startTestBed, type EventingTestBed } from './testing/test-bed.js';

/**
 * What the consumer runner adds at the edge, checked against real NATS: the JSON log lines a handler writes carry
 * the event's ids without the handler passing them, and /metrics shows the durable's outcomes, lag and dead letters.
 */
let bed: EventingTestBed;
let store: JetStreamEventStore;
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
const logger = new JsonLogger(['error', 'warn', 'log']);
const captured = new JsonLogger(['error', 'warn', 'log'], sink);

beforeAll(async () => {
  bed = await startTestBed('observability');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer: { app: 'test', version: '1' } });
});
afterAll(() => bed.dispose());

/** One sample's value in the exposition text, or undefined when the series is absent. */
const sample = (text: string, name: string, labels: Record<string, string>): number | undefined => {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('consumer runner observability', () => {
  it('logs JSON lines with the handled event id, correlation and causation ids, and counts outcomes, lag and dead letters', async () => {
    const aggregateId = randomUUID();
    const durable = `obs_${aggregateId.slice(0, 8)}`;
    const correlationId = randomUUID();
    const causationId = randomUUID();
    const [event] = await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any', correlationId, causationId });
    // A poison message on the same subject: it must end in the dead-letter stream and its gauge.
    await bed.js.publish(bed.topology.eventSubject('request', aggregateId), 'not an envelope');
    const handled: string[] = [];
    let consumer: RunningConsumer | undefined;
    try {
      consumer = await runConsumer({
        js: bed.js,
        jsm: bed.jsm,
        topology: bed.topology,
        durable,
        filterSubject: bed.topology.eventSubject('request', aggregateId),
        features: bed.features,
        maxDeliver: 3,
        backoffMs: [50],
        ackWaitMs: 5_000,
        handler: async (e) => {
          await Promise.resolve(); // the ids must survive an await
          captured.log(`handled ${e.type}`, 'TestHandler');
          handled.push(e.eventId);
        },
        logger: { warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
      });
      await eventually('the event handled', () => handled.length > 0);
      expect(handled).toEqual([event!.eventId]);
      const line = JSON.parse(lines.find((l) => l.includes('handled JobCancellationRequested'))!);
      expect(line).toMatchObject({
        level: 'info',
        context: 'TestHandler',
        msg: 'handled JobCancellationRequested',
        eventId: event!.eventId,
        eventType: 'JobCancellationRequested',
        correlationId,
        causationId,
        durable,
        streamSequence: event!.streamSequence,
      });
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
      // A line written outside any handler carries no message ids.
      captured.log('idle');
      expect(JSON.parse(lines.at(-1)!)).not.toHaveProperty('eventId');

      // The dead letter is recorded after the valid event is handled: wait for it, then check every series.
      const body = await eventually('the dead letter counted', async () => {
        const { body } = await metricsExposition();
        return (
          sample(body, 'kinitro_dead_letters', { durable }) === 1 &&
          sample(body, 'kinitro_consumer_messages_total', { durable, outcome: 'dead_letter' }) === 1 &&
          body
        );
      });
      {
        expect(sample(body, 'kinitro_consumer_messages_total', { durable, outcome: 'ack' })).toBe(1);
        expect(sample(body, 'kinitro_consumer_messages_total', { durable, outcome: 'dead_letter' })).toBe(1);
        expect(sample(body, 'kinitro_consumer_pending_messages', { stream: bed.topology.eventsStream, durable })).toBe(0);
        expect(sample(body, 'kinitro_dead_letters', { stream: bed.topology.deadLetterStream, durable })).toBe(1);
        expect(sample(body, 'kinitro_consumer_handle_seconds_count', { durable })).toBe(1);
      }
    } finally {
      await consumer?.stop();
    }
    // A stopped consumer's lag is no longer reported.
    const after = (await metricsExposition()).body;
    expect(sample(after, 'kinitro_consumer_pending_messages', { durable })).toBeUndefined();
  });
});
