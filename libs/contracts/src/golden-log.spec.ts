import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventCatalogue } from './catalogue.js';
import { parseEnvelope } from './codec.js';

// The golden log is append-only: stored events are never rewritten, so every version ever written must keep parsing.
const goldenLog = (version: number) =>
  readFileSync(fileURLToPath(new URL(`../test/golden-log.v${version}.jsonl`, import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; schemaVersion: number });

describe('golden event log', () => {
  const lines = goldenLog(1);

  it('holds an example of every event type at every version the catalogue knows', () => {
    const present = new Set(lines.map((l) => `${l.type}@${l.schemaVersion}`));
    const expected = eventCatalogue.flatMap((d) => Array.from({ length: d.schemaVersion }, (_, i) => `${d.type}@${i + 1}`));
    expect([...expected].filter((k) => !present.has(k))).toEqual([]);
  });

  it.each(lines.map((l, i) => [i + 1, l.type, l] as const))('line %i (%s) parses to the current version', (_n, type, raw) => {
    const event = parseEnvelope(raw, { stored: true });
    expect(event.type).toBe(type);
    expect(event.schemaVersion).toBe(eventCatalogue.find((d) => d.type === type)!.schemaVersion);
  });
});
