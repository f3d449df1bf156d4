import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeEnvelope, type EventEnvelope } from '#contracts';
import { eventually } from '#testing';
import { runConsumer } from './consumer-runner.js';
import { DeadLetters } from './dead-letters.js';
import { activatedEnvelope as activated } from './testing/fixtures.js';
import { startTestBed, type EventingTestBed } from './testing/test-bed.js';

let bed: EventingTestBed;

beforeAll(async () => {
  bed = await startTestBed('event agreement');
});
afterAll(() => bed.dispose());

/** What a buggy or hostile producer can do with the raw client: publish any bytes on any subject. */
const publishRaw = async (aggregate: string, subjectId: string, envelope: EventEnvelope) =>
  (await bed.js.publish(bed.topology.eventSubject(aggregate, subjectId), encodeEnvelope(envelope))).seq;

// What readers and stores do with such messages is in testing/event-log.contract.ts; this file keeps the consumer's side.
describe('subject, envelope and payload name the same aggregate', () => {
  it('a consumer dead-letters an event on another aggregate’s subject, naming the subject, and handles the next one', async () => {
    const seq = await publishRaw('competition', 'aaa-consumer', activated('bbb-consumer', 'bbb-consumer'));
    const next = await publishRaw('competition', 'aaa-consumer', activated('aaa-consumer', 'aaa-consumer'));
    const seen: number[] = [];
    const deadLetters = new DeadLetters(bed.js, bed.jsm, bed.topology);
    const consumer = await runConsumer({
      js: bed.js,
      jsm: bed.jsm,
      topology: bed.topology,
      durable: 'agreement',
      filterSubject: bed.topology.eventSubject('competition', 'aaa-consumer'),
      maxDeliver: 3,
      backoffMs: [10],
      ackWaitMs: 5_000,
      deadLetters,
      handler: async (event) => void seen.push(event.streamSequence),
    });
    try {
      await eventually('the agreeing event handled', () => seen.includes(next));
      expect(seen).toEqual([next]);
      const [letter] = await deadLetters.list({ consumer: 'agreement' });
      expect(letter).toMatchObject({ streamSequence: seq, issues: [{ path: 'subject' }] });
    } finally {
      await consumer.stop();
    }
  });
});
