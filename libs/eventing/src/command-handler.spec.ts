import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DomainError, type Decider } from '#domain';
import { handleCommand, withConcurrencyRetry } from './command-handler.js';
import { ConcurrencyError } from './errors.js';
import { InMemoryEventStore } from './memory/in-memory-event-store.js';
import { InMemoryEventLog } from './memory/in-memory-log.js';
import { cancellationRequested } from './testing/fixtures.js';

const conflict = () => new ConcurrencyError('job', 'j1', { version: 1, lastSequence: 7 });

describe('withConcurrencyRetry', () => {
  it('retries after a conflict and returns the first success', async () => {
    const attempts: number[] = [];
    const result = await withConcurrencyRetry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 3) throw conflict();
        return 'done';
      },
      { attempts: 3 },
    );
    expect(result).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up with the ConcurrencyError after the last attempt', async () => {
    let calls = 0;
    const run = withConcurrencyRetry(
      async () => {
        calls++;
        throw conflict();
      },
      { attempts: 2 },
    );
    await expect(run).rejects.toBeInstanceOf(ConcurrencyError);
    expect(calls).toBe(2);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const run = withConcurrencyRetry(
      async () => {
        calls++;
        throw new Error('boom');
      },
      { attempts: 5 },
    );
    await expect(run).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});

describe('handleCommand over the in-memory store', () => {
  type Counter = { count: number };
  const counter: Decider<{ kind: 'cancel'; requestId: string }, Counter, 'JobCancellationRequested'> = {
    aggregate: 'request',
    initialState: () => ({ count: 0 }),
    decide: (command, state) => {
      if (state.count >= 2) throw new DomainError('conflict', 'two requests are the limit');
      return [cancellationRequested(command.requestId)];
    },
    evolve: (state) => ({ count: state.count + 1 }),
  };
  const store = () => new InMemoryEventStore(new InMemoryEventLog(), { producer: { app: 'test', version: '1' } });

  it('serialises concurrent commands through the concurrency check: each decides on the state the other left', async () => {
    const s = store();
    const id = randomUUID();
    const results = await Promise.allSettled([1, 2, 3].map(() => handleCommand(s, counter, id, { kind: 'cancel', requestId: id })));
    // Three commands, a limit of two: two appended (one after a retry), the third refused by the rule, not by a conflict.
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect((await s.load('request', id)).events.map((e) => e.aggregateVersion)).toEqual([1, 2]);
  });

  it('threads correlation and causation into what it appends', async () => {
    const s = store();
    const id = randomUUID();
    const cause = randomUUID();
    const { events, state } = await handleCommand(s, counter, id, { kind: 'cancel', requestId: id }, { correlationId: cause, causationId: cause });
    expect(state).toEqual({ count: 1 });
    expect(events[0]).toMatchObject({ correlationId: cause, causationId: cause, aggregateVersion: 1, streamSequence: 1 });
  });
});
