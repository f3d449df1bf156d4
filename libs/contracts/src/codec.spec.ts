import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { decodeRecorded, encodeEnvelope, parseEnvelope, upcast, validatePayload } from './codec.js';
import { defineEvent } from './define.js';
import type { EventEnvelope } from './envelope.js';
import { AggregateMismatchError, EventValidationError, UnknownEventTypeError, UnsupportedSchemaVersionError } from './errors.js';
import { deriveEventId, newEventId } from './ids.js';

const activated = (overrides: Partial<EventEnvelope> = {}): EventEnvelope =>
  ({
    eventId: newEventId(),
    type: 'CompetitionActivated',
    schemaVersion: 1,
    aggregate: 'competition',
    aggregateId: 'mt10',
    aggregateVersion: 2,
    occurredAt: '2026-11-24T10:00:00.000Z',
    correlationId: newEventId(),
    causationId: null,
    producer: { app: 'api', version: '1.0.0' },
    data: { competitionId: 'mt10', activatedBy: 'admin' },
    ...overrides,
  }) as EventEnvelope;

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventValidationError) return error.issues.map((i) => i.path);
    throw error;
  }
  throw new Error('expected an EventValidationError');
};

describe('validatePayload (append side)', () => {
  it('names every invalid field', () => {
    expect(issuesOf(() => validatePayload('CompetitionActivated', { competitionId: 'Not A Slug' }))).toEqual(['competitionId', 'activatedBy']);
  });

  it('applies defaults and drops unknown keys, so the log stores exactly the contract', () => {
    const stored = validatePayload('CompetitionDeactivated', { competitionId: 'mt10', deactivatedBy: 'ops', extra: 1 });
    expect(stored).toEqual({ competitionId: 'mt10', deactivatedBy: 'ops', reason: '' });
  });

  it('rejects a type the catalogue does not know', () => {
    expect(() => validatePayload('CompetitionExploded', {})).toThrow(UnknownEventTypeError);
  });
});

describe('decodeRecorded (read side)', () => {
  const meta = { streamSequence: 42, recordedAt: '2026-11-24T10:00:01.000Z' };
  const at = { ...meta, subject: 'kinitro.evt.competition.mt10' };

  it('round-trips an envelope and adds the stream position', () => {
    const envelope = activated();
    expect(decodeRecorded(encodeEnvelope(envelope), at)).toEqual({ ...envelope, ...meta });
  });

  it('treats bytes that are not JSON as a validation failure (poison), not a crash', () => {
    expect(() => decodeRecorded(new Uint8Array([0xff, 0xfe, 0x00]), at)).toThrow(EventValidationError);
  });

  it('refuses an event published on another aggregate’s subject than its envelope names', () => {
    const bytes = encodeEnvelope(activated());
    for (const subject of ['kinitro.evt.competition.other', 'kinitro.evt.job.mt10', 'kinitro.evt.competition.mt10.x', 'kinitro']) {
      expect(() => decodeRecorded(bytes, { ...meta, subject })).toThrow(AggregateMismatchError);
    }
    expect(issuesOf(() => decodeRecorded(bytes, { ...meta, subject: 'kinitro.evt.competition.other' }))).toEqual(['subject']);
  });

  it('reads the subject under any namespace (the stream of a namespace only holds its own)', () => {
    expect(decodeRecorded(encodeEnvelope(activated()), { ...meta, subject: 'ci_42.evt.competition.mt10' }).aggregateId).toBe('mt10');
  });

  it('refuses an envelope whose aggregate does not match its type', () => {
    expect(issuesOf(() => parseEnvelope(activated({ aggregate: 'job' as never })))).toEqual(['aggregate']);
  });

  it('refuses a schemaVersion newer than this build instead of guessing', () => {
    expect(() => parseEnvelope(activated({ schemaVersion: 2 }))).toThrow(UnsupportedSchemaVersionError);
  });

  it('refuses an envelope whose aggregateId is not the one its payload names', () => {
    expect(() => parseEnvelope(activated({ aggregateId: 'mt50' }))).toThrow(AggregateMismatchError);
    expect(issuesOf(() => parseEnvelope(activated({ aggregateId: 'mt50' })))).toEqual(['aggregateId']);
  });

  it('joins composite keys with ":" and reads the "-" form of the first logs, but never writes it', () => {
    const hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    const observed = (aggregateId: string) =>
      activated({
        type: 'CommitmentObserved',
        aggregate: 'commitment',
        aggregateId,
        data: { netuid: 7, hotkey, uid: 0, block: 1, blockHash: '0x00', raw: '0x00' },
      } as never);
    expect(parseEnvelope(observed(`7:${hotkey}`)).aggregateId).toBe(`7:${hotkey}`);
    expect(parseEnvelope(observed(`7-${hotkey}`), { stored: true }).aggregateId).toBe(`7-${hotkey}`);
    expect(() => parseEnvelope(observed(`7-${hotkey}`))).toThrow(AggregateMismatchError);
    expect(() => parseEnvelope(observed(`8:${hotkey}`), { stored: true })).toThrow(AggregateMismatchError);
  });

  it('names a missing envelope field', () => {
    const { correlationId: _dropped, ...withoutCorrelation } = activated();
    expect(issuesOf(() => parseEnvelope(withoutCorrelation))).toEqual(['correlationId']);
  });
});

describe('upcasters', () => {
  const renamed = defineEvent({
    type: 'ThingRenamed',
    aggregate: 'thing',
    description: 'test-only event with three versions',
    schemaVersion: 3,
    schema: z.object({ fullName: z.string(), by: z.string() }),
    aggregateKey: (d) => [d.fullName],
    upcasters: {
      1: (d) => ({ name: d.title, by: d.by ?? 'unknown' }),
      2: (d) => ({ fullName: d.name, by: d.by }),
    },
  });

  it('lifts every stored version to the current one, step by step', () => {
    expect(upcast(renamed, 1, { title: 'a' })).toEqual({ fullName: 'a', by: 'unknown' });
    expect(upcast(renamed, 2, { name: 'b', by: 'x' })).toEqual({ fullName: 'b', by: 'x' });
    expect(upcast(renamed, 3, { fullName: 'c', by: 'y' })).toEqual({ fullName: 'c', by: 'y' });
  });

  it('lift a stored envelope into one of its own: the object parseEnvelope is given stays as it was', () => {
    const raw = { ...activated(), type: 'ThingRenamed', aggregate: 'thing', aggregateId: 'a', schemaVersion: 1, data: { title: 'a' } };
    const before = structuredClone(raw);
    const parsed = parseEnvelope(raw, { lookup: (type) => (type === 'ThingRenamed' ? renamed : undefined), stored: true });
    expect(parsed).toEqual({ ...before, schemaVersion: 3, data: { fullName: 'a', by: 'unknown' } });
    expect(raw).toEqual(before);
  });

  it('cannot be defined with a gap in the chain', () => {
    expect(() =>
      defineEvent({
        type: 'Gappy',
        aggregate: 'thing',
        description: '',
        schemaVersion: 3,
        schema: z.object({}),
        aggregateKey: () => ['x'],
        upcasters: { 1: (d) => d },
      }),
    ).toThrow('missing upcaster from v2 to v3');
  });
});

describe('deriveEventId', () => {
  it('is stable for the same cause and output, distinct otherwise', () => {
    const cause = newEventId();
    expect(deriveEventId(cause, 'JobCreated', 'mt10')).toBe(deriveEventId(cause, 'JobCreated', 'mt10'));
    expect(deriveEventId(cause, 'JobCreated', 'mt10')).not.toBe(deriveEventId(cause, 'JobCreated', 'mt50'));
    expect(deriveEventId(cause, 'JobCreated')).not.toBe(deriveEventId(newEventId(), 'JobCreated'));
  });
});

describe('CompetitionUpdated', () => {
  it('stores only the settings the update names, never defaults for the others', () => {
    const stored = validatePayload('CompetitionUpdated', { competitionId: 'mt10', changes: { name: 'Renamed' }, updatedBy: 'ops' });
    expect(stored.changes).toEqual({ name: 'Renamed' });
  });
});
