import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';

interface Response {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string } }>;
}
interface Operation {
  summary?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
}

let bed: ApiTestBed;
let doc: Document;
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })));

beforeAll(async () => {
  bed = await startApiTestBed('api openapi completeness');
  doc = (await (await fetch(`${bed.baseUrl}/api/docs-json`)).json()) as Document;
});
afterAll(async () => {
  await bed?.dispose();
});

describe('the OpenAPI document', () => {
  it('has a summary on every operation', () => {
    const missing = operations()
      .filter(({ op }) => !op.summary?.trim())
      .map(({ name }) => name);
    expect(missing).toEqual([]);
    expect(operations().length).toBeGreaterThan(30);
  });

  it('gives every error response the problem+json schema, and the errors every route can answer', () => {
    const faults: string[] = [];
    for (const { name, op } of operations()) {
      const statuses = Object.keys(op.responses);
      for (const required of ['429', '500', ...((op.parameters ?? []).length > 0 || op.requestBody ? ['400'] : [])]) {
        if (!statuses.includes(required)) faults.push(`${name}: no ${required}`);
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        if (response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/ProblemDto')
          faults.push(`${name} ${status}: not problem+json`);
        if (Object.keys(response.content ?? {}).length !== 1) faults.push(`${name} ${status}: other content types`);
      }
    }
    expect(faults).toEqual([]);
    expect(doc.paths['/api/v1/validators/{hotkey}']!.get!.responses['404']!.description).toContain('No metagraph snapshot');
  });

  it('types the audit routes and enumerates the aggregate parameter', () => {
    const ok = (path: string) => doc.paths[path]!.get!.responses['200']!.content?.['application/json']?.schema?.$ref;
    expect(ok('/api/v1/events')).toBe('#/components/schemas/EventsWindowDto');
    expect(ok('/api/v1/events/{aggregate}/{aggregateId}')).toBe('#/components/schemas/AggregateHistoryDto');
    expect(ok('/api/v1/events/{sequence}')).toBe('#/components/schemas/EventAtSequenceDto');
    const aggregate = (doc.paths['/api/v1/events/{aggregate}/{aggregateId}']!.get!.parameters as { name: string; schema: { enum?: string[] } }[]).find(
      (p) => p.name === 'aggregate',
    )!;
    expect(aggregate.schema.enum).toEqual(expect.arrayContaining(['competition', 'submission', 'job', 'evaluation', 'episode', 'api-key', 'request']));
    expect(doc.components.schemas.EventDto!.required).toEqual(expect.arrayContaining(['eventId', 'type', 'streamSequence', 'data']));
  });

  it('describes the problem documents the API actually sends', async () => {
    const schema = doc.components.schemas.ProblemDto!;
    expect(schema.required?.sort()).toEqual(['detail', 'status', 'title', 'type']);
    const notFound = await request(bed.baseUrl, 'GET', `/api/v1/submissions/${randomUUID()}`);
    const invalid = await request(bed.baseUrl, 'GET', '/api/v1/steps?limit=0');
    for (const problem of [notFound.body, invalid.body]) {
      expect(Object.keys(problem).every((key) => key in schema.properties!)).toBe(true);
      for (const key of schema.required!) expect(problem).toHaveProperty(key);
    }
    expect(invalid.body.errors).toEqual([{ field: 'limit', messages: [expect.any(String)] }]);
  });
});
