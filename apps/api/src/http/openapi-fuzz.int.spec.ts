import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { ALICE, seeder } from '../testing/scenario.js';

/**
 * Every operation of the OpenAPI document the app serves, with random and hostile values in every parameter and
 * body field. A response is never 5xx; every 4xx is problem+json; a request carrying a value the document itself
 * rules out (wrong type, out of range, U+0000, a lone surrogate, too long, not in the enum, an unknown field) is a
 * 400 that names one of the fields we made invalid or random, never one we sent valid.
 * Reproduce a failure with FUZZ_SEED=<the seed printed>; FUZZ_RUNS widens the search.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);

/** A JSON Schema of the document, as far as the generator reads it. */
interface Schema {
  $ref?: string;
  type?: string;
  enum?: string[];
  format?: string;
  pattern?: string;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: 'path' | 'query'; required?: boolean; schema: Schema }[];
  body?: Schema;
  secured: boolean;
}

/** A generated value: `valid` per the document, `invalid` per the document, or `random` (either). */
type Kind = 'valid' | 'invalid' | 'random';
interface Sample<T = unknown> {
  value: T;
  kind: Kind;
}
/** The JSON text of a deep nest, built as text: JSON.stringify would recurse as deep. */
class RawJson {
  constructor(readonly text: string) {}
}

/** A value of `arbitrary` one time in `n`, undefined otherwise. */
const oneIn = <T>(n: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: n - 1 }, { arbitrary, weight: 1 });

const sample = <T>(arbitrary: fc.Arbitrary<T>, kind: Kind): fc.Arbitrary<Sample<T>> => arbitrary.map((value) => ({ value, kind }));

/** Text the document rules out for any string field: U+0000, lone surrogates. */
const unstorable = fc.constantFrom('\u0000', 'mt10\u0000', '\ud800', 'a\udfffb', '\u0000'.repeat(64));
const numberish = ['9223372036854775808', '18446744073709551616', '-1', '0x10', '1e3', ' 1', '', '1.5', '+1', '00', '-0', 'NaN', 'Infinity', '٣', '1_0'];
const randomText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...numberish, '%', '[]', '{}', 'null', 'true', '../x', 'a/b'),
);

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Mostly the valid value, one time in eight a hostile one: a request then usually carries a single bad field, so
 * every check is reached alone (several bad fields at once would stop at the first and hide the rest).
 */
const mostlyValid = <T>(valid: fc.Arbitrary<Sample<T>>, ...hostile: fc.Arbitrary<Sample<T>>[]): fc.Arbitrary<Sample<T>> =>
  fc.oneof({ arbitrary: valid, weight: 7 * hostile.length }, ...hostile.map((arbitrary) => ({ arbitrary, weight: 1 })));

/** A query or path value (always text on the wire). */
const textParam = (schema: Schema, known: string[]): fc.Arbitrary<Sample<string>> => {
  // Every bounded text field of this API refuses U+0000; a field the document leaves unbounded may mean "not found".
  const bounded =
    schema.maxLength !== undefined || schema.pattern !== undefined || schema.format !== undefined || schema.enum !== undefined || schema.type !== 'string';
  const hostile: fc.Arbitrary<Sample<string>>[] = [sample(unstorable, bounded ? 'invalid' : 'random'), sample(randomText, 'random')];
  if (schema.maxLength !== undefined) hostile.push(sample(fc.constant('x'.repeat(Math.min(schema.maxLength + 1, 3000))), 'invalid'));
  const is = (valid: fc.Arbitrary<string>, ...invalid: string[]) =>
    mostlyValid(sample(valid, 'valid'), ...hostile, sample(fc.constantFrom(...invalid), 'invalid'));
  if (schema.enum) return is(fc.constantFrom(...schema.enum), 'nope', `${schema.enum[0]!.toLowerCase()}x`);
  if (schema.type === 'boolean') return is(fc.constantFrom('true', 'false'), '1', 'yes', 'TRUE', '');
  if (schema.type === 'integer') {
    const { minimum: min = 0, maximum: max = Number.MAX_SAFE_INTEGER } = schema;
    const outside = numberish.filter((n) => !/^(0|-?[1-9]\d*)$/.test(n) || Number(n) < min || Number(n) > max);
    return is(fc.integer({ min, max }).map(String), ...outside, String(max + 1), String(min - 1));
  }
  if (schema.format === 'uuid')
    return is(
      fc.oneof(fc.uuid({ version: 4 }), fc.constantFrom(...known.filter((id) => UUID_SHAPE.test(id)))),
      'not-a-uuid',
      '00000000-0000-0000-0000-00000000000g',
    );
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const outside = ['UPPER', '-x', ' ', 'a.b', '>'].filter((text) => !pattern.test(text));
    return is(
      fc.oneof(fc.stringMatching(pattern), fc.constantFrom(...known)).filter((text) => pattern.test(text)),
      ...outside,
    );
  }
  if (schema.type === 'string')
    return mostlyValid(sample(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }), 'valid'), ...hostile);
  return sample(fc.oneof(fc.integer().map(String), randomText), 'random'); // the document does not say what it takes
};

const resolve = (doc: { components: { schemas: Record<string, Schema> } }, schema: Schema): Schema =>
  schema.$ref ? resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()!]!) : schema;

/** A JSON body value and its kind; the arbitrary recurses into objects and arrays with a bounded depth. */
const jsonValue = (doc: Parameters<typeof resolve>[0], raw: Schema, depth = 0): fc.Arbitrary<Sample> => {
  const schema = resolve(doc, raw);
  const wrongType = (...values: unknown[]) => sample(fc.constantFrom(...values), 'invalid');
  const anything = sample(fc.jsonValue({ maxDepth: 2 }), 'random');
  const deep = (n: number) => new RawJson('['.repeat(n) + ']'.repeat(n));
  if (schema.type === 'object' || schema.properties) {
    if (depth > 3) return fc.constant({ value: {}, kind: 'random' as Kind });
    const entries = Object.entries(schema.properties ?? {}).map(([key, property]) => {
      const value = jsonValue(doc, property, depth + 1);
      return [key, (schema.required ?? []).includes(key) ? value : fc.oneof({ arbitrary: value, weight: 5 }, fc.constant(undefined))] as const;
    });
    const extra = oneIn(12, fc.tuple(fc.constantFrom('__proto__', 'constructor', 'unexpected', 'toString'), fc.jsonValue({ maxDepth: 1 })));
    const object = fc.record({ fields: fc.record(Object.fromEntries(entries)), extra }).map(({ fields, extra: unknownField }) => {
      const value: Record<string, unknown> = {};
      const kinds: Kind[] = [];
      const named = new Map<string, Kind>(); // not an object: a "__proto__" key must be kept
      for (const [key, field] of Object.entries(fields) as [string, Sample | undefined][]) {
        if (field === undefined) continue;
        value[key] = field.value;
        named.set(key, field.kind);
        kinds.push(field.kind);
      }
      if (unknownField) {
        Object.defineProperty(value, unknownField[0], { value: unknownField[1], enumerable: true, configurable: true, writable: true });
        named.set(unknownField[0], 'invalid');
        kinds.push('invalid');
      }
      return { value, kind: kinds.includes('invalid') ? 'invalid' : kinds.includes('random') ? 'random' : 'valid', named } as Sample & {
        named: Map<string, Kind>;
      };
    });
    return mostlyValid(object, wrongType('x', 5, [], null, true), sample(fc.constantFrom(deep(2000), deep(40)), 'invalid'));
  }
  if (schema.type === 'array') {
    const item = jsonValue(doc, schema.items ?? {}, depth + 1);
    const array = fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => ({
      value: items.map((i) => i.value),
      kind: items.some((i) => i.kind === 'invalid') ? 'invalid' : items.some((i) => i.kind === 'random') ? 'random' : 'valid',
    })) as fc.Arbitrary<Sample>;
    return mostlyValid(array, wrongType('x', 1, {}, null), sample(fc.constant(deep(1500)), 'invalid'), anything);
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    const { minimum: min = -1e6, maximum: max = 1e6 } = schema;
    const valid =
      schema.type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.min(max, Number.MAX_SAFE_INTEGER) }) : fc.double({ min, max, noNaN: true });
    return mostlyValid(
      sample(valid, 'valid'),
      wrongType('5', null, true, [], {}, 1e308, -1e308, 2 ** 63, max + 1, min - 1, ...(schema.type === 'integer' ? [1.5] : [])),
      anything,
    );
  }
  if (schema.type === 'boolean') return mostlyValid(sample(fc.boolean(), 'valid'), wrongType('true', 0, null));
  if (schema.type === 'string') {
    const nullable = schema.nullable ? [sample(fc.constant(null), 'valid')] : [];
    const text =
      schema.format === 'date-time'
        ? sample(
            fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
            'valid',
          )
        : textParam(schema, known);
    return mostlyValid(
      fc.oneof(text, ...nullable),
      wrongType(5, true, [], {}, ...(schema.nullable ? [] : [null])),
      sample(fc.constant('x'.repeat(6000)), schema.maxLength !== undefined && schema.maxLength < 6000 ? 'invalid' : 'random'),
    );
  }
  return anything;
};

let bed: ApiTestBed;
let doc: Parameters<typeof resolve>[0] & {
  paths: Record<
    string,
    Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> }; security?: unknown[] }>
  >;
};
let known: string[];

const operationsOf = (document: typeof doc): Operation[] =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
      body: op.requestBody?.content['application/json']?.schema,
      secured: (op.security ?? []).length > 0,
    })),
  );

/** Whether a blamed field (`benchmarks.0.tasks`) is one of `fields` or inside one. */
const names = (field: string, fields: Set<string>): boolean => [...fields].some((f) => field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`));

let served: Operation[] = [];

beforeAll(async () => {
  bed = await startApiTestBed('api fuzz', { API_RATE_LIMIT: 1_000_000, API_ADMIN_AUTH_FAILURES: 1_000_000 });
  const seed = seeder(bed.store);
  await seed.competition('mt10');
  const submissionId = await seed.submission('mt10', ALICE, 10);
  const jobId = await seed.job({ id: submissionId, competitionId: 'mt10', hotkey: ALICE }, 'control');
  await bed.project();
  known = ['mt10', submissionId, jobId, ALICE];
  doc = (await (await fetch(`${bed.baseUrl}/api/docs-json`)).json()) as typeof doc;
  served = operationsOf(doc);
});
afterAll(async () => {
  await bed?.dispose();
});

/** Lone surrogates as U+FFFD, the way a URL would carry them. */
const wellFormed = (text: string): string => text.replace(/\p{Cs}/gu, '\ufffd');

/** JSON text with each RawJson spliced in as written. */
const toJson = (value: unknown): string => {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `@@raw${raws.push(v.text) - 1}@@` : v));
  return (text ?? 'null').replace(/"@@raw(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
};

/** True one time in sixteen. */
const rarely = oneIn(16, fc.constant(true)).map(Boolean);

/** One operation: RUNS requests derived from its parameters and body schema. */
const fuzz = async (operation: Operation): Promise<void> => {
  const params = operation.parameters.map((p) =>
    fc.record({
      name: fc.constant(p.name),
      where: fc.constant(p.in),
      sample: p.in === 'path' || p.required ? textParam(p.schema, known) : oneIn(2, textParam(p.schema, known)),
      repeated: rarely,
      raw: p.in === 'path' ? oneIn(16, fc.constantFrom('%00', '%ED%A0%80', '%ff', '%', '%2F')) : fc.constant(undefined),
    }),
  );
  const request = fc.record({
    params: fc.tuple(...params),
    extraQuery: oneIn(16, fc.constantFrom('unexpected', 'limit[]', '__proto__')),
    body: operation.body ? fc.oneof({ arbitrary: jsonValue(doc, operation.body), weight: 7 }, fc.constant(undefined)) : fc.constant(undefined),
    // fetch sends no body with GET
    transport:
      operation.method === 'GET' ? fc.constant('json') : fc.constantFrom('json', 'json', 'json', 'json', 'text/plain', 'form', 'latin1', 'malformed', 'scalar'),
    auth: operation.secured ? fc.constantFrom('admin', 'admin', 'admin', 'none', 'wrong') : fc.constantFrom('none', 'wrong'),
  });

  await fc.assert(
    fc.asyncProperty(request, async ({ params: values, extraQuery, body, transport, auth }) => {
      const fields = { invalid: new Set<string>(), random: new Set<string>() };
      const mark = (field: string, kind: Kind) => kind !== 'valid' && fields[kind].add(field);
      let path = operation.path;
      const query = new URLSearchParams();
      let routable = true;
      for (const [index, { name: param, where, sample: value, repeated, raw }] of values.entries()) {
        if (where === 'path') {
          if (raw !== undefined) {
            path = path.replace(`{${param}}`, raw);
            const { pattern, format, enum: oneOf } = operation.parameters[index]!.schema;
            if (raw === '%00') mark(param, pattern || format || oneOf ? 'invalid' : 'random');
            else routable = false; // %ff and a lone % are 400 before routing; %2F may route elsewhere
            continue;
          }
          const encoded = encodeURIComponent(wellFormed(value!.value));
          if (value!.value === '' || value!.value !== wellFormed(value!.value) || /^\.\.?$/.test(value!.value) || value!.value.length > 2000) routable = false;
          path = path.replace(`{${param}}`, encoded);
          mark(param, value!.kind);
        } else if (value !== undefined) {
          if (value.value !== wellFormed(value.value)) continue; // a URL cannot carry a lone surrogate
          query.append(param, value.value);
          if (repeated) query.append(param, value.value);
          mark(param, repeated ? 'invalid' : value.kind);
        }
      }
      if (extraQuery) {
        // Unknown parameters are refused where a route reads a query; a route that reads none ignores the query.
        query.append(extraQuery, '1');
        mark(extraQuery, operation.parameters.some((p) => p.in === 'query') ? 'invalid' : 'random');
      }
      const headers: Record<string, string> = {};
      if (auth === 'admin') headers.authorization = `Bearer ${bed.adminKey}`;
      if (auth === 'wrong') headers['x-api-key'] = 'guessed-key';
      if (operation.body && body === undefined) for (const field of resolve(doc, operation.body).required ?? []) mark(field, 'invalid');
      let text: string | undefined;
      if (body !== undefined || transport !== 'json') {
        const value = body?.value;
        text = toJson(value ?? {});
        if (transport === 'malformed') text = text.slice(0, -1) + '\u0000';
        if (transport === 'scalar') text = '"just a string"';
        headers['content-type'] = {
          json: 'application/json',
          malformed: 'application/json',
          scalar: 'application/json',
          'text/plain': 'text/plain',
          form: 'application/x-www-form-urlencoded',
          latin1: 'application/json; charset=latin1',
        }[transport];
        if (body && transport === 'json') {
          if (!('named' in body)) mark('body', body.kind);
          for (const [key, kind] of (body as { named?: Map<string, Kind> }).named ?? []) mark(key, kind);
        }
      }
      const url = `${bed.baseUrl}${path}${query.size ? `?${query}` : ''}`;
      const response = await fetch(url, { method: operation.method, headers, ...(text === undefined ? {} : { body: text }) });
      const responseText = await response.text();
      const context = `${operation.method} ${url} ${auth} ${transport} body=${text?.slice(0, 3000)} → ${response.status} ${responseText.slice(0, 500)}`;

      expect([context, response.status < 500]).toEqual([context, true]);
      if (response.status < 400) return;
      expect([context, response.headers.get('content-type')]).toEqual([context, expect.stringContaining('application/problem+json')]);
      const problem = JSON.parse(responseText) as { status: number; title: string; errors?: { field: string }[] };
      expect([context, problem.status, typeof problem.title]).toEqual([context, response.status, 'string']);

      // body-parser refuses what is not JSON, or a JSON scalar, before any route runs
      const wellFormedBody = text === undefined || (transport === 'json' && (body === undefined || (typeof body.value === 'object' && body.value !== null)));
      const authorized = !operation.secured || auth === 'admin';
      if (!routable || !wellFormedBody) return;
      if (!authorized) {
        expect([context, response.status]).toEqual([context, 401]);
        return;
      }
      if (fields.invalid.size > 0) expect([context, response.status]).toEqual([context, 400]);
      if (response.status === 400 && !fields.invalid.has('body') && !fields.random.has('body')) {
        const blamed = (problem.errors ?? []).map((e) => e.field);
        const atFault = new Set([...fields.invalid, ...fields.random]);
        expect([context, blamed.length > 0 && blamed.every((field) => names(field, atFault))]).toEqual([context, true]);
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
};

describe('fuzzing every operation of /api/docs-json', () => {
  it('serves a document with the routes a client uses', () => {
    expect(served.length).toBeGreaterThan(20);
    expect(served.map((op) => `${op.method} ${op.path}`)).toEqual(expect.arrayContaining(['GET /api/v1/competitions/{id}', 'POST /api/v1/admin/competitions']));
  });

  it('never answers 5xx; every 4xx is problem+json; a request the document rules out is a 400 naming a field at fault', async () => {
    for (const operation of served) await fuzz(operation);
  }, 300_000);
});
