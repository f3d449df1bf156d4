import { describe, expect, it } from '@jest/globals';
import { HistoryReads, TooManyHistoryReads } from './history-reads.js';

const reads = (perClient: number, total: number) =>
  new HistoryReads({ EVENTS_MAX_REPLAYS_PER_CLIENT: perClient, EVENTS_MAX_REPLAYS: total } as ConstructorParameters<typeof HistoryReads>[0]);

const refusal = (take: () => unknown): TooManyHistoryReads => {
  try {
    take();
  } catch (error) {
    return error as TooManyHistoryReads;
  }
  throw new Error('expected a refusal');
};

describe('HistoryReads', () => {
  it('refuses a client over its cap with 429 and the API over its total with 503, until slots are given back', () => {
    const caps = reads(2, 3);
    const a1 = caps.acquire('a');
    caps.acquire('a');
    const overClient = refusal(() => caps.acquire('a'));
    expect([overClient.getStatus(), overClient.scope, overClient.message]).toEqual([
      429,
      'client',
      'this client already runs 2 history reads (EVENTS_MAX_REPLAYS_PER_CLIENT); retry when one ends',
    ]);
    caps.acquire('b');
    const overTotal = refusal(() => caps.acquire('c'));
    expect([overTotal.getStatus(), overTotal.scope]).toEqual([503, 'total']);
    a1();
    a1(); // a second release gives back nothing more
    caps.acquire('c');
    expect(refusal(() => caps.acquire('d')).scope).toBe('total');
  });

  it('gives the slot back when the read fails', async () => {
    const caps = reads(1, 1);
    await expect(caps.run('a', async () => Promise.reject(new Error('NATS down')))).rejects.toThrow('NATS down');
    await expect(caps.run('a', async () => 'read')).resolves.toBe('read');
  });
});
