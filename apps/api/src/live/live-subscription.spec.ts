import { describe, expect, it } from '@jest/globals';
import type { EventReader } from '#eventing';
import { InMemoryEventReader } from '../testing/in-memory-reader.js';
import { LiveHub } from './live-hub.js';
import { LiveSubscription, type ServerMessage } from './live-subscription.js';

const subscribe = (reader: InMemoryEventReader, hub: LiveHub, fromSequence: number | undefined, onEvent: (sequence: number) => void = () => {}) => {
  const sequences: number[] = [];
  const subscription = new LiveSubscription(
    hub,
    reader,
    { op: 'subscribe', subscription: 'default', snapshot: false, types: ['CompetitionActivated'], filters: {}, ...(fromSequence ? { fromSequence } : {}) },
    {
      send: (message: ServerMessage) => {
        if (message.op !== 'event') return;
        sequences.push(message.streamSequence);
        onEvent(message.streamSequence);
      },
      fail: (reason) => {
        throw new Error(reason);
      },
    },
  );
  return { sequences, subscription, done: subscription.run() };
};

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
};

describe('LiveSubscription', () => {
  it('hands over from replay to live without a gap or a duplicate while events keep arriving', async () => {
    const reader = new InMemoryEventReader();
    for (let i = 0; i < 5; i++) reader.append(`c${i}`);
    const hub = new LiveHub(reader);
    await hub.attach({ deliver: () => {}, fail: () => {} });
    // Events appended during the replay reach both the replay and the hub's live read.
    const client = subscribe(reader, hub, 2, (sequence) => {
      if (sequence === 3) for (let i = 0; i < 4; i++) reader.append(`during${i}`);
    });
    await client.done;
    reader.append('after');
    await until(() => client.sequences.includes(10));
    expect(client.sequences).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    hub.stop();
  });

  it('starts after the current end when no sequence is given', async () => {
    const reader = new InMemoryEventReader();
    reader.append('old');
    const hub = new LiveHub(reader);
    const client = subscribe(reader, hub, undefined);
    await client.done;
    reader.append('new');
    await until(() => client.sequences.length === 1);
    expect(client.sequences).toEqual([2]);
    hub.stop();
  });

  it('receives nothing once stopped', async () => {
    const reader = new InMemoryEventReader();
    const hub = new LiveHub(reader);
    const client = subscribe(reader, hub, undefined);
    await client.done;
    reader.append('seen');
    await until(() => client.sequences.length === 1);
    client.subscription.stop();
    reader.append('unseen');
    const witness = subscribe(reader, hub, 1);
    await until(() => witness.sequences.length === 2);
    expect(client.sequences).toEqual([1]);
    hub.stop();
  });

  it('tells every subscriber to reconnect when the shared read fails', async () => {
    const broken: EventReader = {
      lastSequence: async () => 0,
      read: async function* (): AsyncGenerator<never> {
        await new Promise((resolve) => setImmediate(resolve));
        yield* [];
        throw new Error('nats down');
      },
    };
    const hub = new LiveHub(broken);
    const failures: string[] = [];
    await Promise.all([1, 2].map(() => hub.attach({ deliver: () => {}, fail: (reason) => failures.push(reason) })));
    await until(() => failures.length === 2);
    expect(failures).toEqual(['live feed interrupted: nats down', 'live feed interrupted: nats down']);
  });

  it('drops a subscriber whose delivery throws and keeps serving the others', async () => {
    const reader = new InMemoryEventReader();
    const hub = new LiveHub(reader);
    const failures: string[] = [];
    const delivered: number[] = [];
    await hub.attach({
      deliver: () => {
        throw new Error('socket gone');
      },
      fail: (reason) => failures.push(reason),
    });
    await hub.attach({ deliver: (event) => delivered.push(event.streamSequence), fail: (reason) => failures.push(reason) });
    reader.append('one');
    reader.append('two');
    await until(() => delivered.length === 2);
    expect(failures).toEqual(['delivery failed: socket gone']);
    hub.stop();
  });

  it('leaves nothing behind when the client leaves while the hub is still starting', async () => {
    class BreakableReader extends InMemoryEventReader {
      broken = false;
      override async *read(options: Parameters<InMemoryEventReader['read']>[0]) {
        for await (const item of super.read(options)) {
          if (this.broken) throw new Error('link lost');
          yield item;
        }
      }
    }
    const reader = new BreakableReader();
    for (let i = 0; i < 3; i++) reader.append(`c${i}`);
    const hub = new LiveHub(reader);
    const left: ServerMessage[] = [];
    const leftFailures: string[] = [];
    const leaving = new LiveSubscription(
      hub,
      reader,
      { op: 'subscribe', subscription: 'default', snapshot: false, types: ['CompetitionActivated'], filters: {}, fromSequence: 1 },
      {
        send: (message) => left.push(message),
        fail: (reason) => leftFailures.push(reason),
      },
    );
    const done = leaving.run();
    leaving.stop();
    await done;

    const stayingFailures: string[] = [];
    const staying = new LiveSubscription(
      hub,
      reader,
      { op: 'subscribe', subscription: 'default', snapshot: false, types: ['CompetitionActivated'], filters: {} },
      {
        send: () => undefined,
        fail: (reason) => stayingFailures.push(reason),
      },
    );
    await staying.run();
    reader.broken = true;
    reader.append('after');
    await until(() => stayingFailures.length > 0);
    expect(left).toEqual([]);
    expect(leftFailures).toEqual([]);
    hub.stop();
  });
});
