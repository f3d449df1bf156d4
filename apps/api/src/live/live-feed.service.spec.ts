import { describe, expect, it } from '@jest/globals';
import type { EventReader, ReadItem, ReadOptions } from '#eventing';
import { eventually } from '#testing';
import { HistoryReads } from '../events/history-reads.js';
import { InMemoryEventReader } from '../testing/in-memory-reader.js';
import { LiveFeedService, type LiveClient } from './live-feed.service.js';

/** Catch-up reads (bounded ones) hang until released: a replay in progress. */
class SlowHistory implements EventReader {
  constructor(private readonly inner: InMemoryEventReader) {}
  release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  lastSequence = () => this.inner.lastSequence();
  async *read(options: ReadOptions): AsyncGenerator<ReadItem> {
    if (options.toSequence !== undefined) await this.released;
    yield* this.inner.read(options);
  }
}

const client = () => {
  const sent: any[] = [];
  const socket: LiveClient = {
    readyState: 1,
    bufferedAmount: 0,
    send: (data) => void (JSON.parse(data).op === 'welcome' || sent.push(JSON.parse(data))),
    close: () => undefined,
  };
  return { socket, sent };
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('LiveFeedService history replays', () => {
  it('refuses a catch-up over the per-client cap with an error message, and takes one again once a replay ends', async () => {
    const log = new InMemoryEventReader();
    for (let i = 0; i < 3; i++) log.append(`c${i}`);
    const reader = new SlowHistory(log);
    const config = { EVENTS_MAX_REPLAYS_PER_CLIENT: 1, EVENTS_MAX_REPLAYS: 10 } as never;
    const feed = new LiveFeedService(reader, config, new HistoryReads(config), undefined as never);
    const [first, second, third] = [client(), client(), client()];
    const subscribe = JSON.stringify({ op: 'subscribe', types: ['CompetitionActivated'], fromSequence: 1 });
    for (const c of [first, second]) feed.connect(c.socket, '10.0.0.1');
    feed.receive(first.socket, subscribe);
    await settle();
    feed.receive(second.socket, subscribe);
    expect(second.sent).toEqual([{ op: 'error', subscription: 'default', message: expect.stringContaining('EVENTS_MAX_REPLAYS_PER_CLIENT') }]);
    // Another address has its own share; a live-only subscription needs no slot.
    feed.connect(third.socket, '10.0.0.2');
    feed.receive(third.socket, subscribe);
    feed.receive(second.socket, JSON.stringify({ op: 'subscribe', types: ['CompetitionActivated'] }));
    await settle();
    expect(second.sent.at(-1)).toMatchObject({ op: 'subscribed' });
    reader.release();
    // Waited for, not slept on: on a loaded machine a replay may take longer than any fixed pause.
    const events = (c: { sent: any[] }) => c.sent.filter((m) => m.op === 'event').map((m) => m.streamSequence);
    await eventually("the first client's replay", () => events(first).length >= 3);
    expect(events(first)).toEqual([1, 2, 3]);
    feed.receive(second.socket, subscribe);
    await eventually("the second client's replay, once the first one's slot is free", () => events(second).length >= 3);
    expect(events(second)).toEqual([1, 2, 3]);
    feed.onModuleDestroy();
  });
});
