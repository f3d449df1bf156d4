import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { eventually } from '#testing';
import { ReadModelStore, ReplayService, tableHashes } from '#read-models';
import { startPostgresCluster, type PostgresCluster } from '../../libs/testing/src/servers/index.js';
import { startProjectionBed, type ProjectionBed } from '../../libs/read-models/src/testing/harness.js';
import { platformScenario } from '../../libs/read-models/src/testing/scenario.js';
import { createApiApp } from '../../apps/api/src/create-api-app.js';
import { projectorProcesses } from './support/projector-process.js';

/**
 * Fault 3: Postgres (a cluster of our own, never the shared one) stops for OUTAGE_MS while events keep arriving.
 * Meanwhile the API answers 503 naming Postgres on readiness and on a read route; once it is back, the same
 * projector process catches up and its tables equal a clean replay. One 30 s outage: it is the cost of the file.
 */
const OUTAGE_MS = Number(process.env.FAULT_POSTGRES_OUTAGE_MS ?? 30_000);
jest.setTimeout(OUTAGE_MS + 120_000);

let cluster: PostgresCluster;
let bed: ProjectionBed;
let app: NestExpressApplication;
let baseUrl: string;
const projectors = projectorProcesses(() => bed);
const sharedDatabaseUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  process.env.DATABASE_URL = cluster.url; // the bed's read models live in our cluster
  bed = await startProjectionBed('fault postgres outage');
  app = await createApiApp({
    NATS_URL: bed.natsUrl,
    DATABASE_URL: cluster.url,
    DATABASE_SCHEMA: bed.namespace,
    KINITRO_NAMESPACE: bed.namespace,
    KINITRO_STREAM_REPLICAS: 1,
    API_PORT: 0,
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    PROJECTOR_WAIT_MS: 0,
  });
  await app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
});

afterAll(async () => {
  projectors.killAll();
  await app?.close();
  await cluster?.resume().catch(() => undefined);
  await bed?.dispose();
  await cluster?.stop();
  process.env.DATABASE_URL = sharedDatabaseUrl;
});

const get = async (path: string) => {
  const response = await fetch(`${baseUrl}${path}`);
  return { status: response.status, text: await response.text() };
};

describe(`fault: Postgres stopped for ${OUTAGE_MS / 1000} s`, () => {
  it('the API answers 503 naming Postgres, the projector resumes, nothing is lost', async () => {
    const store = new ReadModelStore(bed.dataSource, bed.namespace);
    const checkpoint = () => store.checkpoint(bed.dataSource);
    const before = await bed.append(platformScenario('before'));
    const projector = projectors.start();
    await eventually(`checkpoint ${before}`, async () => (await checkpoint()) === before, 30_000);
    expect((await get('/api/v1/health/ready')).status).toBe(200);

    await cluster.pause();
    const stoppedAt = Date.now();
    const during = await bed.append(platformScenario('during'));
    const answers: { ready: { status: number; text: string }; read: { status: number; text: string } }[] = [];
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      answers.push({ ready: await get('/api/v1/health/ready'), read: await get('/api/v1/jobs') });
      await sleep(2_000);
    }
    await cluster.resume();

    for (const { ready, read } of answers) {
      expect(ready.status).toBe(503);
      expect(ready.text).toMatch(/postgres/i);
      expect(read.status).toBe(503);
      expect(read.text).toMatch(/postgres/i);
    }
    expect(projector.exitCode).toBeNull();
    await eventually(`checkpoint ${during} after the outage`, async () => (await checkpoint().catch(() => 0)) === during, 60_000);
    const replay = await new ReplayService({ databaseUrl: cluster.url, liveSchema: bed.namespace, reader: bed.reader }).replay({ toSequence: during });
    expect(await tableHashes(bed.dataSource, bed.namespace)).toEqual(replay.hashes);
    await eventually('ready again', async () => (await get('/api/v1/health/ready')).status === 200, 30_000);
    console.log(
      `Postgres outage: ${answers.length} probes during ${OUTAGE_MS / 1000} s, all 503 naming Postgres; projector caught up ${before} → ${during}; tables = replay`,
    );
  });
});
