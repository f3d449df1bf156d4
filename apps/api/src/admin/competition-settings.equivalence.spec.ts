import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { z } from 'zod';
import { competitionSettingsSchema } from '#contracts';
import { EdgeValidationPipe } from '../http/validation.pipe.js';
import { CreateCompetitionBody } from './admin-competitions.dto.js';

// The HTTP validator of competition settings (class-validator, run by the API's own pipe) and the contract
// (competitionSettingsSchema, which the domain enforces before appending) must accept exactly the same bodies, apart
// from what only the edge refuses (EDGE_LIMITS and nested unknown keys, below, each checked to be real). Bodies are generated from the
// contract's JSON Schema, so a field added to the contract is generated and mutated here without touching this file.

type Node = {
  type?: string;
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  anyOf?: Node[];
  default?: unknown;
};

/** Limits the HTTP edge adds to the contract's (request size, not validity), by JSON path ('*' for any array item). */
const EDGE_LIMITS: Record<string, Pick<Node, 'maxItems' | 'maxLength' | 'maximum'>> = {
  benchmarks: { maxItems: 32 },
  'benchmarks.*.tasks': { maxItems: 64 },
  'benchmarks.*.tasks.*': { maxLength: 128 },
  'benchmarks.*.camera.names': { maxItems: 16 },
  'benchmarks.*.camera.names.*': { maxLength: 64 },
  'benchmarks.*.camera.everyNSteps': { maximum: 100_000 },
  'submissionRateLimit.count': { maximum: 10_000 },
  'submissionRateLimit.perSeconds': { maximum: 31_536_000 },
  minValidators: { maximum: 256 },
  startsAt: { maxLength: 64 },
  endsAt: { maxLength: 64 },
};

/** The edge refuses unknown fields at any depth (forbidNonWhitelisted); the contract, only at the top. */
const NESTED_UNKNOWN_KEYS = 'unknown keys in nested objects';

const contract = z.toJSONSchema(competitionSettingsSchema, { io: 'input' }) as Node;
const pipe = new EdgeValidationPipe(32);

const httpAccepts = async (settings: unknown): Promise<boolean> => {
  // What arrives over HTTP: JSON, with the id the create route also asks for.
  const body: unknown = JSON.parse(JSON.stringify({ id: 'mt10', ...(settings as object) }));
  try {
    await pipe.transform(body, { type: 'body', metatype: CreateCompetitionBody, data: '' });
    return true;
  } catch {
    return false;
  }
};
const contractAccepts = (settings: unknown): boolean => competitionSettingsSchema.strict().safeParse(JSON.parse(JSON.stringify(settings))).success;

const starred = (path: string[]) => path.map((part) => (/^\d+$/.test(part) ? '*' : part)).join('.');
const nullable = (node: Node) => node.anyOf?.some((n) => n.type === 'null') ?? false;
const inner = (node: Node): Node => node.anyOf?.find((n) => n.type !== 'null') ?? node;
const small = (limit: number | undefined, cap: number) => Math.min(limit ?? cap, cap);

/** Valid values of a node, within the edge's limits too; arrays and free text kept small. */
const valid = (node: Node, path: string[]): fc.Arbitrary<unknown> => {
  const edge = EDGE_LIMITS[starred(path)] ?? {};
  const base = inner(node);
  const value = ((): fc.Arbitrary<unknown> => {
    switch (base.type) {
      case 'object': {
        const entries = Object.entries(base.properties ?? {});
        const arbitraries = Object.fromEntries(entries.map(([key, child]) => [key, valid(child, [...path, key])]));
        const required = entries.map(([key]) => key).filter((key) => base.required?.includes(key));
        return fc.record(arbitraries, { requiredKeys: required });
      }
      case 'array':
        return fc.array(valid(base.items!, [...path, '0']), { minLength: base.minItems ?? 0, maxLength: small(edge.maxItems ?? base.maxItems, 3) });
      case 'string': {
        if (base.enum) return fc.constantFrom(...base.enum);
        const maxLength = Math.min(edge.maxLength ?? Infinity, base.maxLength ?? Infinity);
        if (base.pattern) return fc.stringMatching(new RegExp(base.pattern)).filter((s) => s.length >= (base.minLength ?? 0) && s.length <= maxLength);
        return fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_é'), minLength: base.minLength ?? 0, maxLength: small(maxLength, 12) });
      }
      case 'integer': {
        const min = base.minimum ?? (base.exclusiveMinimum ?? -1) + 1;
        const max = Math.min(edge.maximum ?? Infinity, base.maximum ?? Number.MAX_SAFE_INTEGER);
        return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
      }
      case 'number':
        return fc.oneof(
          fc.constantFrom(base.minimum ?? 0, base.maximum ?? 1),
          fc.double({ min: base.minimum ?? -1e9, max: base.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true }),
        );
      default:
        throw new Error(`no generator for ${starred(path)} of JSON type ${String(base.type)}: extend the equivalence test`);
    }
  })();
  return nullable(node) ? fc.oneof(fc.constant(null), value) : value;
};

interface Mutation {
  path: string;
  what: string;
  /** Beyond a rule only the edge has (its name): the edge refuses, the contract accepts. */
  edgeOnly?: string;
  apply: (parent: Record<string, unknown> | unknown[], key: string) => void;
}
const set = (value: unknown) => (parent: Record<string, unknown> | unknown[], key: string) => void ((parent as Record<string, unknown>)[key] = value);
const grown = (items: unknown[], length: number) => Array.from({ length }, (_, i) => items[i % items.length]);

/** Ways to break (or stretch) one value of the given node. */
const mutationsOf = (node: Node, value: unknown, path: string[]): Omit<Mutation, 'path'>[] => {
  const edge = EDGE_LIMITS[starred(path)] ?? {};
  const base = inner(node);
  const found: Omit<Mutation, 'path'>[] = [
    { what: 'removed', apply: (parent, key) => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key]) },
    { what: 'null', apply: set(null) },
    { what: 'a boolean', apply: set(true) },
    { what: 'an object', apply: set({}) },
  ];
  switch (base.type) {
    case 'object':
      // The contract is strict at the top only: below, zod drops unknown keys, where the edge refuses them.
      found.push(
        { what: 'with an unknown key', edgeOnly: NESTED_UNKNOWN_KEYS, apply: set({ ...(value as object), unknownField: 1 }) },
        { what: 'an array', apply: set([]) },
      );
      break;
    case 'array': {
      const items = value as unknown[];
      found.push({ what: 'a string', apply: set('x') }, { what: 'empty', apply: set([]) });
      if (base.maxItems !== undefined) found.push({ what: 'one item too many', apply: set(grown(items, base.maxItems + 1)) });
      if (edge.maxItems !== undefined && items.length > 0)
        found.push({ what: 'one item beyond the edge limit', edgeOnly: starred(path), apply: set(grown(items, edge.maxItems + 1)) });
      break;
    }
    case 'string':
      found.push({ what: 'a number', apply: set(5) }, { what: 'empty', apply: set('') }, { what: 'with U+0000', apply: set(`${String(value)}\u0000`) });
      found.push({ what: 'with a space in front', apply: set(` ${String(value)}`) }, { what: 'an unknown word', apply: set('other') });
      if (base.format === 'date-time') {
        for (const almost of ['2026-01-01', '2026-01-01T00:00:00', '2026-01-01T00:00Z', '2026-02-30T00:00:00Z', '20260101T000000Z'])
          found.push({ what: `"${almost}"`, apply: set(almost) });
      }
      if (base.maxLength !== undefined) found.push({ what: 'one character too long', apply: set('a'.repeat(base.maxLength + 1)) });
      if (edge.maxLength !== undefined) {
        const long = base.format === 'date-time' ? `2026-01-01T00:00:00.${'1'.repeat(edge.maxLength)}Z` : 'a'.repeat(edge.maxLength + 1);
        found.push({ what: 'longer than the edge limit', edgeOnly: starred(path), apply: set(long) });
      }
      break;
    case 'integer':
    case 'number': {
      const min = base.minimum ?? base.exclusiveMinimum;
      found.push({ what: 'a numeric string', apply: set(String(value)) }, { what: 'a fraction', apply: set(Number(value) + 0.5) });
      if (min !== undefined) found.push({ what: 'below the minimum', apply: set(min - (base.type === 'integer' ? 1 : 0.001)) });
      if (base.maximum !== undefined) found.push({ what: 'above the maximum', apply: set(base.maximum + (base.type === 'integer' ? 1 : 0.001)) });
      if (base.type === 'integer') found.push({ what: 'beyond 2^53', apply: set(2 ** 53 + 2) });
      if (edge.maximum !== undefined) found.push({ what: 'beyond the edge limit', edgeOnly: starred(path), apply: set(edge.maximum + 1) });
      break;
    }
  }
  return found;
};

/** Every mutation of every value in `settings` (the body itself included), each applied to a fresh copy. */
const everyMutation = (settings: Record<string, unknown>): { mutation: Mutation; body: unknown }[] => {
  const out: { mutation: Mutation; body: unknown }[] = [];
  const walk = (node: Node, value: unknown, path: string[]) => {
    const base = inner(node);
    if (path.length > 0) {
      for (const m of mutationsOf(node, value, path)) {
        const body = structuredClone(settings);
        const parent = path.slice(0, -1).reduce<any>((at, key) => at[key], body);
        m.apply(parent, path.at(-1)!);
        out.push({ mutation: { ...m, path: path.join('.') }, body });
      }
    }
    if (value === null || typeof value !== 'object') return;
    if (base.type === 'object')
      for (const [key, child] of Object.entries(base.properties ?? {})) if (key in value) walk(child, (value as Record<string, unknown>)[key], [...path, key]);
    if (base.type === 'array') (value as unknown[]).forEach((item, i) => walk(base.items!, item, [...path, String(i)]));
  };
  walk(contract, settings, []);
  out.push({ mutation: { path: 'unknownField', what: 'added', apply: () => undefined }, body: { ...settings, unknownField: 1 } });
  for (const key of Object.keys(contract.properties ?? {}))
    if (!(key in settings))
      out.push(
        ...[1, 'x', null].map((v) => ({
          mutation: { path: key, what: `added as ${JSON.stringify(v)}`, apply: () => undefined },
          body: { ...settings, [key]: v },
        })),
      );
  return out;
};

const bodies = valid(contract, []) as fc.Arbitrary<Record<string, unknown>>;

describe('competition settings: the HTTP validator and the contract', () => {
  it('both accept every valid body generated from the contract (within the edge limits)', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (settings) => {
        expect({ http: await httpAccepts(settings), contract: contractAccepts(settings) }).toEqual({ http: true, contract: true });
      }),
      { numRuns: 80 },
    );
  });

  it('agree on every body mutated field by field; only the edge limits differ, and each is real', async () => {
    const seen = { refused: 0, edgeOnly: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(bodies, async (settings) => {
        for (const { mutation, body } of everyMutation(settings)) {
          const verdict = { http: await httpAccepts(body), contract: contractAccepts(body) };
          const expected = mutation.edgeOnly ? { http: false, contract: true } : { http: verdict.contract, contract: verdict.contract };
          expect({ mutation: `${mutation.path} ${mutation.what}`, ...verdict }).toEqual({ mutation: `${mutation.path} ${mutation.what}`, ...expected });
          if (!verdict.contract) seen.refused += 1;
          if (mutation.edgeOnly) seen.edgeOnly.add(mutation.edgeOnly);
        }
      }),
      { numRuns: 8 },
    );
    expect(seen.refused).toBeGreaterThan(100);
    // Every edge limit was exercised at least once (camera ones only when a camera was generated: most runs have one).
    expect([...seen.edgeOnly].sort()).toEqual([...Object.keys(EDGE_LIMITS), NESTED_UNKNOWN_KEYS].sort());
  });
});
