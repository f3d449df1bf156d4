import { z } from 'zod';
import {
  aggregateIdSchema,
  benchmarkSpecSchema,
  competitionIdSchema,
  competitionSettingsSchema,
  eventCatalogue,
  sha256HexSchema,
  ss58Schema,
  uuidSchema,
} from '#contracts';
import type { Format } from './fields.js';

/** The contract's schema, and its pattern and format for the OpenAPI document (derived, never copied). */
const format = (schema: z.ZodType, must: string, example?: string): Format => {
  const { pattern, format: openApiFormat, enum: oneOf } = z.toJSONSchema(schema) as { pattern?: string; format?: string; enum?: string[] };
  return { schema, must, openApi: { pattern, format: openApiFormat, enum: oneOf, example } };
};

/** The id and name formats clients send, as the contract defines them. */
export const COMPETITION_ID = format(competitionIdSchema, 'a competition id (lowercase slug of 2-63 characters)', 'mt10');
export const HOTKEY = format(ss58Schema, 'an SS58 address', '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
export const UUID = format(uuidSchema, 'a UUID');
export const SHA256 = format(sha256HexSchema, '64 lowercase hex digits (a sha256)');
export const BENCHMARK_NAME = format(
  benchmarkSpecSchema.shape.name,
  'a benchmark name (1-64 letters, digits, "_", "." or "-", starting with a letter or digit)',
  'mt10',
);
/** An instant as the competition settings take it: ISO-8601 date and time with an offset (Z or ±hh:mm). */
export const DATE_TIME = format(
  competitionSettingsSchema.shape.startsAt.unwrap().unwrap(),
  'an ISO-8601 date-time with an offset (e.g. 2026-01-01T00:00:00Z)',
  '2026-01-01T00:00:00Z',
);

const aggregateTypes = [...new Set(eventCatalogue.map((d) => d.aggregate))];
/** The aggregate types of the catalogue, as the audit log's history route names them. */
export const AGGREGATE = format(z.enum(aggregateTypes as [string, ...string[]]), `an aggregate type (${aggregateTypes.join(', ')})`, 'competition');
/** Any aggregate's id: one literal subject token, so no wildcard reaches NATS. */
export const AGGREGATE_ID = format(aggregateIdSchema, 'an aggregate id (1-128 of A-Z, a-z, 0-9, "_", ":" and "-")', 'mt10');
