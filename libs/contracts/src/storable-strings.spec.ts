import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import { eventCatalogue } from './catalogue.js';
import { validatePayload } from './codec.js';
import { envelopeSchema } from './envelope.js';
import { EventValidationError } from './errors.js';

/** What Postgres text refuses (U+0000) or cannot encode (a lone surrogate has no UTF-8 form). */
const UNSTORABLE = { nul: 'a\u0000b', loneHigh: '\ud800', loneLow: 'x\udc00' };

interface StringField {
  path: string;
  schema: z.ZodType;
}

/** zod 4 keeps every schema's definition on `_zod.def`; this reads just the parts that lead to nested schemas. */
type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
};
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const LEAVES = new Set(['number', 'boolean', 'enum', 'literal', 'null', 'unknown']);

/**
 * Every string a value of `schema` can hold, wherever it sits (objects, arrays, records' keys and values, unions,
 * optional/nullable/default wrappers). A kind of schema it does not know fails the test rather than being skipped,
 * so a new construct cannot hide a string field.
 */
const stringFields = (schema: z.ZodType, path: string): StringField[] => {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return [{ path, schema }];
    case 'object':
      return [
        ...Object.entries(def.shape!).flatMap(([key, field]) => stringFields(field, path ? `${path}.${key}` : key)),
        ...(def.catchall ? stringFields(def.catchall, `${path}{}`) : []),
      ];
    case 'array':
      return stringFields(def.element!, `${path}[]`);
    case 'record':
      return [...stringFields(def.keyType!, `${path}{key}`), ...stringFields(def.valueType!, `${path}{}`)];
    case 'union':
      return def.options!.flatMap((option, i) => stringFields(option, `${path}|${i}`));
    case 'pipe':
      return [...stringFields(def.in!, path), ...stringFields(def.out!, path)];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return stringFields(def.innerType!, path);
    default:
      if (LEAVES.has(def.type)) return [];
      throw new Error(`${path || '(root)'}: the walker does not know zod type "${def.type}"; teach it before using it in a contract`);
  }
};

const everyStringField = [
  ...stringFields(envelopeSchema, 'envelope'),
  ...eventCatalogue.flatMap((def) => stringFields(def.schema, def.type).map((f) => ({ ...f, type: def.type }))),
];

describe('every string an event can carry is storable as Postgres text', () => {
  it('finds the string fields, nested ones included (the walk itself is checked)', () => {
    const paths = everyStringField.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'envelope.producer.app',
        'CompetitionCreated.name',
        'CompetitionCreated.description',
        'CompetitionCreated.benchmarks[].tasks[]',
        'CompetitionCreated.benchmarks[].camera.names[]',
        'CompetitionUpdated.changes.description',
        'CompetitionUpdated.changes.benchmarks[].name',
        'SubmissionRejected.detail',
        'SubmissionRejected.competitionId',
        'EpisodeRecorded.frames[].key',
        'EpisodeRecorded.trajectoryKey',
        'RerunRequested.benchmarks[]',
        'ScoresComputed.scores[].competitionId',
        'EvaluationFailed.detail',
        'WeightsSetFailed.reason',
      ]),
    );
    expect(paths.length).toBeGreaterThan(100);
  });

  it.each(everyStringField.map((f) => [f.path, f] as const))('%s refuses U+0000 and lone surrogates', (_path, field) => {
    for (const value of Object.values(UNSTORABLE)) expect(field.schema.safeParse(value).success).toBe(false);
  });

  it('an append naming such a string fails with EventValidationError naming the field path', () => {
    const created = {
      competitionId: 'mt10',
      createdBy: 'admin',
      name: 'MT10',
      description: `robot\u0000arm`,
      benchmarks: [{ name: 'mt10', provider: 'metaworld', tasks: ['reach-v3', '\ud800'], episodesPerTask: 1, maxSteps: 10, timeoutSeconds: 60 }],
      weightShare: 1,
      maxRepoBytes: 1000,
      submissionRateLimit: { count: 1, perSeconds: 60 },
    };
    let error: unknown;
    try {
      validatePayload('CompetitionCreated', created);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).issues.map((i) => i.path)).toEqual(['description', 'benchmarks.0.tasks.1']);
  });

  it('accepts the text it should: astral characters (a valid surrogate pair), accents, U+FFFD', () => {
    expect(validatePayload('CompetitionDeactivated', { competitionId: 'mt10', deactivatedBy: 'ops', reason: 'fin 🤖 été \ufffd' }).reason).toBe(
      'fin 🤖 été \ufffd',
    );
  });
});
