import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { dropSchemas, testNamespace, testServices } from '#testing';
import { openReadModels } from './data-source.js';
import { tableHashes } from './hashes.js';
import { readModelMigrations } from './migrations/index.js';

// The shared machine is often busy; the project-level testTimeout does not reach these files.
jest.setTimeout(30_000);

const schema = testNamespace('read models data source');
let databaseUrl: string;

afterAll(async () => {
  if (databaseUrl) await dropSchemas(databaseUrl, schema);
});

describe('openReadModels', () => {
  it('migrates a fresh schema once even when two apps start together, matching the entities', async () => {
    databaseUrl = (await testServices()).databaseUrl;
    const [a, b] = await Promise.all([openReadModels({ url: databaseUrl, schema }), openReadModels({ url: databaseUrl, schema })]);
    try {
      const applied = await a.query(`SELECT name FROM "${schema}".read_model_migrations ORDER BY id`);
      expect(applied).toEqual(readModelMigrations.map((m) => ({ name: m.name })));
      expect(await a.driver.createSchemaBuilder().log()).toMatchObject({ upQueries: [] });
      const hashes = await tableHashes(b, schema);
      expect(Object.keys(hashes).sort()).toEqual(
        [
          'api_keys',
          'commitments',
          'competitions',
          'episode_states',
          'episodes',
          'job_status',
          'job_status_history',
          'jobs',
          'rejected_events',
          'results',
          'scores',
          'steps',
          'submissions',
          'validators',
          'weights_history',
        ].sort(),
      );
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });
});
