import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JetStreamServer } from '#eventing/nest';
import { StartupError } from '#platform';
import { openReadModels, readModelMigrations } from '#read-models';
import { dropSchemas, eventually, testNamespace, testServices } from '#testing';
import type { ApiConfig } from '../api-config.js';
import { createApiApp } from '../create-api-app.js';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';

let bed: ApiTestBed;
let databaseUrl: string;
let natsUrl: string;
const unmigrated = testNamespace('health unmigrated');
/** The build's newest migration and the one before it: what readiness must name as expected and as "behind". */
const [previous, latest] = readModelMigrations.slice(-2).map((migration) => migration.name);

const get = async (baseUrl: string, path: string) => {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
};

/** The bed's API configuration on a schema nobody migrated yet: an API started before the projector ever ran. */
const configOnUnmigrated = (waitMs: number): ApiConfig => ({
  NATS_URL: natsUrl,
  DATABASE_URL: databaseUrl,
  DATABASE_SCHEMA: unmigrated,
  KINITRO_NAMESPACE: bed.topology.namespace,
  KINITRO_STREAM_REPLICAS: 1,
  API_PORT: 0,
  API_HOST: '127.0.0.1',
  LOG_LEVEL: 'error',
  PROJECTOR_WAIT_MS: waitMs,
});

beforeAll(async () => {
  bed = await startApiTestBed('health');
  ({ databaseUrl, natsUrl } = await testServices());
});
afterAll(async () => {
  await bed.dispose();
  await dropSchemas(databaseUrl, unmigrated);
});

describe('liveness and readiness', () => {
  it('is live and ready, with the schema version, the projector lag and the consumer loops', async () => {
    await bed.project();
    const live = await get(bed.baseUrl, '/api/v1/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await get(bed.baseUrl, '/api/v1/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      nats: { status: 'up' },
      postgres: { status: 'up' },
      schema: { schema: bed.topology.namespace, applied: latest, expected: latest, current: true },
      projector: { lag: 0 },
      consumers: [],
    });
    expect((await get(bed.baseUrl, '/api/v1/health')).body).toMatchObject({ status: 'ok', schema: { current: true } });
    const projections = ready.body.projections as { name: string; state: string; lag: number; version: number }[];
    expect(projections.map((p) => p.name)).toEqual([
      'competitions',
      'submissions',
      'jobs',
      'results',
      'validators',
      'scores',
      'commitments',
      'api_keys',
      'rejected_events',
    ]);
    expect(projections.every((p) => p.state === 'live' && p.lag === 0 && p.version === 1)).toBe(true);
  });

  it('lists the projections on the admin route, behind the admin key, with a rebuild and its lag while one runs', async () => {
    const anonymous = await fetch(`${bed.baseUrl}/api/v1/admin/projections`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    // What a rebuild shows while it folds: the version it builds and how far its shadow tables are.
    await bed.readModels.query(
      `UPDATE "${bed.topology.namespace}".projections SET state = 'rebuilding', rebuild_version = 2, rebuild_sequence = 0 WHERE name = 'scores'`,
    );
    try {
      const response = await fetch(`${bed.baseUrl}/api/v1/admin/projections`, { headers: { authorization: `Bearer ${bed.adminKey}` } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { lastSequence: number; projections: { name: string; checkpoint: number; state: string; rebuild: unknown }[] };
      const scores = body.projections.find((p) => p.name === 'scores')!;
      expect(scores).toMatchObject({
        state: 'rebuilding',
        version: 1,
        checkpoint: body.lastSequence,
        lag: 0,
        rebuild: { version: 2, checkpoint: 0, lag: body.lastSequence },
      });
      expect(body.projections.find((p) => p.name === 'jobs')).toMatchObject({ state: 'live', rebuild: null });
    } finally {
      await bed.readModels.query(
        `UPDATE "${bed.topology.namespace}".projections SET state = 'live', rebuild_version = NULL, rebuild_sequence = NULL WHERE name = 'scores'`,
      );
    }
  });

  it('refuses to start on a schema the projector never migrated, after a bounded wait, naming what to do', async () => {
    const start = createApiApp(configOnUnmigrated(300));
    await expect(start).rejects.toBeInstanceOf(StartupError);
    await expect(start).rejects.toThrow(
      `gave up after 300 ms waiting for the projector to migrate the read-model schema "${unmigrated}" (applied: none, expected: ${latest}): start the projector`,
    );
  });

  it('starts once the projector has migrated the schema while it waited', async () => {
    const starting = createApiApp(configOnUnmigrated(20_000));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const projectorMigrates = await openReadModels({ url: databaseUrl, schema: unmigrated });
    const app = await starting;
    await app.listen(0, '127.0.0.1');
    try {
      const ready = await get(await app.getUrl(), '/api/v1/health/ready');
      expect(ready).toMatchObject({ status: 200, body: { schema: { schema: unmigrated, current: true } } });

      // A schema behind this build (a migration rolled back): not ready, 503 problem+json saying why.
      await projectorMigrates.query(`DELETE FROM "${unmigrated}".read_model_migrations WHERE name = '${latest}'`);
      const behind = await get(await app.getUrl(), '/api/v1/health/ready');
      expect(behind.status).toBe(503);
      expect(behind.type).toMatch(/^application\/problem\+json/);
      expect(behind.body.reasons).toEqual([`the read-model schema "${unmigrated}" is at ${previous}, this API expects ${latest}: the projector migrates it`]);
      expect((await get(await app.getUrl(), '/api/v1/health/live')).status).toBe(200);
    } finally {
      await app.close();
      await projectorMigrates.destroy();
    }
  });

  it('shows a consumer loop whose durable was deleted as not ready until it is recreated', async () => {
    const server = JetStreamServer.fromApp(bed.app, { durable: 'api_health_probe', recoverAfterMs: 1_500 });
    bed.app.connectMicroservice({ strategy: server });
    await bed.app.startAllMicroservices();
    try {
      await eventually('the loop running', async () => ((await get(bed.baseUrl, '/api/v1/health/ready')).body.consumers as unknown[]).length === 1);
      await bed.nats.jsm.consumers.delete(bed.topology.eventsStream, 'api_health_probe');
      const notReady = await eventually('readiness showing the loop recovering', async () => {
        const ready = await get(bed.baseUrl, '/api/v1/health/ready');
        return ready.status === 503 ? ready : undefined;
      });
      expect(notReady.body.reasons).toEqual([expect.stringMatching(/^consumer api_health_probe is recovering/)]);
      const back = await eventually('readiness after the recovery', async () => {
        const ready = await get(bed.baseUrl, '/api/v1/health/ready');
        return ready.status === 200 ? ready : undefined;
      });
      expect(back.body.consumers).toMatchObject([{ durable: 'api_health_probe', state: 'running', recoveries: 1 }]);
      expect(await bed.nats.jsm.consumers.info(bed.topology.eventsStream, 'api_health_probe')).toBeDefined();
    } finally {
      await server.close();
    }
  });
});
