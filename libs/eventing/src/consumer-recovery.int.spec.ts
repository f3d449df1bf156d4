import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#contracts';
import { eventually } from '#testing';
import { ConsumerHealth, type ConsumerStatus } from './consumer-health.js';
import { runConsumer } from './consumer-runner.js';
import { JetStreamEventStore } from './event-store.js';
import { cancellationRequested, startTestBed, type EventingTestBed } from './testing/test-bed.js';

let bed: EventingTestBed;
let store: JetStreamEventStore;

beforeAll(async () => {
  bed = await startTestBed('consumer recovery');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer: { app: 'test', version: '1' } });
});
afterAll(() => bed.dispose());

describe('a consumer loop whose durable is deleted', () => {
  it('reports it, recreates the durable and goes on handling events', async () => {
    const aggregateId = randomUUID();
    const durable = `r_${aggregateId.slice(0, 8)}`;
    const handled: string[] = [];
    const warnings: string[] = [];
    const health = new ConsumerHealth();
    const states: ConsumerStatus['state'][] = [];
    const report = health.report.bind(health);
    health.report = (name, state, reason) => {
      if (states.at(-1) !== state) states.push(state);
      report(name, state, reason);
    };
    const consumer = await runConsumer({
      js: bed.js,
      jsm: bed.jsm,
      topology: bed.topology,
      durable,
      filterSubject: bed.topology.eventSubject('request', aggregateId),
      features: bed.features,
      maxDeliver: 3,
      backoffMs: [50],
      ackWaitMs: 2_000,
      recoverAfterMs: 100,
      health,
      logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
      handler: async (event: RecordedEvent) => {
        handled.push(event.eventId);
      },
    });
    const append = async () => (await store.append('request', aggregateId, [cancellationRequested(aggregateId)], { expected: 'any' }))[0]!.eventId;
    try {
      const first = await append();
      await eventually('the first event', () => handled.includes(first));
      expect(health.list()).toMatchObject([{ durable, state: 'running', recoveries: 0 }]);

      await bed.jsm.consumers.delete(bed.topology.eventsStream, durable);
      await eventually(
        'the durable recreated',
        async () => (await bed.jsm.consumers.info(bed.topology.eventsStream, durable).catch(() => undefined)) !== undefined,
        15_000,
      );
      const second = await append();
      await eventually('an event after the deletion', () => handled.includes(second), 15_000);

      expect(states).toEqual(['running', 'recovering', 'running']);
      expect(health.list()).toMatchObject([{ durable, state: 'running', recoveries: 1 }]);
      expect(warnings.some((w) => w.startsWith(`${durable}: consumer deleted`) || w.includes('the consume loop'))).toBe(true);
      // Recreated from the start of the stream, an acked event comes again: handlers are idempotent by contract.
      expect(handled.filter((id) => id === second)).toHaveLength(1);
    } finally {
      await consumer.stop();
    }
    expect(health.list()[0]!.state).toBe('stopped');
  });
});
