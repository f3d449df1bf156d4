import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventDefinition } from '../catalogue.js';
import { aggregateIdOf, parseEnvelope, validatePayload } from '../codec.js';
import type { EventEnvelope, RecordedEvent } from '../envelope.js';

/** The golden log (one event of every type and version, valid by contract), as stored envelopes. */
export const goldenEvents = (): (EventEnvelope & { data: Record<string, unknown> })[] =>
  readFileSync(fileURLToPath(new URL('../../test/golden-log.v1.jsonl', import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => parseEnvelope(JSON.parse(line), { stored: true }));

/** Fields that tie events together; every value any golden event holds for one is a candidate for all. */
const LINKS = ['competitionId', 'submissionId', 'jobId', 'evaluationId', 'validator', 'hotkey', 'commitmentEventId', 'requestId', 'rerunOf', 'netuid'];

/**
 * Arbitrary logs for totality tests: every fold and reaction must survive any valid event of the catalogue in any
 * order, because the log is written by several apps and outlives every version of the code that folds it. Events
 * are the golden log's with their ids drawn from small pools, so that arbitrary sequences collide on jobs,
 * evaluations, submissions; each is kept only if the catalogue still accepts it, and its envelope names the
 * aggregate its payload belongs to, as the store guarantees.
 */
export const arbitraryLogs = (golden = goldenEvents(), { maxLength = 60, extraNetuids = [] as number[] } = {}): fc.Arbitrary<RecordedEvent[]> => {
  const pools = new Map<string, unknown[]>(
    LINKS.map((key) => [key, [...new Set(golden.flatMap((e) => (key in e.data && e.data[key] !== null ? [e.data[key]] : [])))]]),
  );
  pools.get('netuid')!.push(...extraNetuids);
  const variant = (template: EventEnvelope, picks: number[]): Record<string, unknown> => {
    const data: Record<string, unknown> = { ...template.data };
    LINKS.forEach((key, i) => {
      const pool = pools.get(key)!;
      if (key in data && data[key] !== null && pool.length > 0) data[key] = pool[picks[i]! % pool.length];
    });
    try {
      return validatePayload(template.type, data);
    } catch {
      return template.data;
    }
  };
  return fc
    .array(
      fc.record({
        template: fc.constantFrom(...golden),
        picks: fc.array(fc.nat(7), { minLength: LINKS.length, maxLength: LINKS.length }),
        gapMs: fc.nat(7_200_000),
      }),
      { maxLength },
    )
    .map((drawn) => {
      let at = Date.parse('2026-11-24T17:00:00.000Z');
      return drawn.map(({ template, picks, gapMs }, i): RecordedEvent => {
        at += gapMs;
        const data = variant(template, picks);
        const aggregateId = aggregateIdOf(eventDefinition(template.type)!, data);
        return { ...template, aggregateId, data, streamSequence: i + 1, recordedAt: new Date(at).toISOString() } as unknown as RecordedEvent;
      });
    });
};
