import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { newEvent, type AggregateType, type NewEvent, type RecordedEventOf } from '#contracts';
import { DomainError, type Decider } from '#domain';
import { handleCommand } from './command-handler.js';
import { ConcurrencyError } from './errors.js';
import { JetStreamEventStore } from './event-store.js';
import type { AppendOptions, EventStore } from './ports.js';
import { startTestBed, type EventingTestBed } from './testing/test-bed.js';

type KeyState = { status: 'none' } | { status: 'active'; name: string } | { status: 'revoked' };
type KeyCommand = { kind: 'issue'; keyId: string; name: string } | { kind: 'revoke'; keyId: string };

const apiKeys: Decider<KeyCommand, KeyState, 'ApiKeyIssued' | 'ApiKeyRevoked'> = {
  aggregate: 'api-key',
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    if (command.kind === 'issue') {
      if (state.status !== 'none') throw new DomainError('conflict', 'key exists');
      return [newEvent('ApiKeyIssued', { keyId: command.keyId, name: command.name, sha256: 'a'.repeat(64), role: 'admin', issuedBy: 'root' })];
    }
    if (state.status !== 'active') return [];
    return [newEvent('ApiKeyRevoked', { keyId: command.keyId, revokedBy: 'root' })];
  },
  evolve: (_state, event) =>
    event.type === 'ApiKeyIssued' ? { status: 'active', name: (event as RecordedEventOf<'ApiKeyIssued'>).data.name } : { status: 'revoked' },
};

let bed: EventingTestBed;
let store: JetStreamEventStore;

beforeAll(async () => {
  bed = await startTestBed('command handler');
  store = new JetStreamEventStore(bed.js, bed.jsm, { topology: bed.topology, producer: { app: 'test', version: '1' } });
});
afterAll(() => bed.dispose());

/** A store that lets a rival append land between our load and our append, `times` times. */
const racingStore = (times: number, rival: () => Promise<unknown>): EventStore => ({
  load: (aggregate, id) => store.load(aggregate, id),
  append: async (aggregate: AggregateType, id: string, events: NewEvent[], options: AppendOptions) => {
    if (times-- > 0) await rival();
    return store.append(aggregate, id, events, options);
  },
});

describe('handleCommand', () => {
  it('loads, decides and appends, threading correlation and causation', async () => {
    const keyId = randomUUID();
    const causationId = randomUUID();
    const { events, state } = await handleCommand(store, apiKeys, keyId, { kind: 'issue', keyId, name: 'ci' }, { correlationId: causationId, causationId });
    expect(state).toEqual({ status: 'active', name: 'ci' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'ApiKeyIssued', aggregateVersion: 1, correlationId: causationId, causationId });
  });

  it('reloads and decides again when another writer got there first', async () => {
    const keyId = randomUUID();
    await handleCommand(store, apiKeys, keyId, { kind: 'issue', keyId, name: 'ci' });
    const rival = () => store.append('api-key', keyId, [newEvent('ApiKeyRevoked', { keyId, revokedBy: 'rival' })], { expected: 'any' });
    const result = await handleCommand(racingStore(1, rival), apiKeys, keyId, { kind: 'revoke', keyId });
    // The second decision sees the rival's revocation and has nothing more to say.
    expect(result).toEqual({ events: [], state: { status: 'revoked' } });
    expect((await store.load('api-key', keyId)).events.map((e) => e.data)).toEqual([expect.anything(), { keyId, revokedBy: 'rival' }]);
  });

  it('gives up with ConcurrencyError when it keeps losing', async () => {
    const keyId = randomUUID();
    const rival = () =>
      store.append('api-key', keyId, [newEvent('ApiKeyIssued', { keyId, name: 'rival', sha256: 'b'.repeat(64), role: 'admin', issuedBy: 'x' })], {
        expected: 'any',
      });
    const run = handleCommand(racingStore(1, rival), apiKeys, keyId, { kind: 'issue', keyId, name: 'ci' }, { attempts: 1 });
    await expect(run).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('lets domain errors through without retrying', async () => {
    const keyId = randomUUID();
    await handleCommand(store, apiKeys, keyId, { kind: 'issue', keyId, name: 'ci' });
    await expect(handleCommand(store, apiKeys, keyId, { kind: 'issue', keyId, name: 'again' })).rejects.toBeInstanceOf(DomainError);
  });
});
