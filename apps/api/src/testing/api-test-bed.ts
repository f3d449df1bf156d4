import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { topology, type Topology } from '#contracts';
import { applyTopology, connect, deleteTopology, JetStreamEventReader, JetStreamEventStore, type JetStreamConnection, type ReadItem } from '#eventing';
import { BatchApplier, openReadModels } from '#read-models';
import { createObjectStore, type ObjectStore, type ObjectStoreConfig } from '#storage';
import { devKey, dropSchemas, testNamespace, testServices, testSigner } from '#testing';
import type { DataSource } from 'typeorm';
import type { ApiConfig, ApiSettings } from '../api-config.js';
import { createApiApp } from '../create-api-app.js';
import { DEV_URIS } from './scenario.js';

/** The store's signer: the dev keys the scenario's validators are. */
const devSigner = () => {
  for (const uri of DEV_URIS) devKey(uri);
  return testSigner;
};

/**
 * One test file's API: its own streams and Postgres schema (same name, migrated), the real app listening on an
 * ephemeral port, a store to seed events through, and `project()` to bring the read models up to date the way
 * the projector does.
 */
export interface ApiTestBed {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  wsUrl: string;
  adminKey: string;
  topology: Topology;
  nats: JetStreamConnection;
  store: JetStreamEventStore;
  readModels: DataSource;
  /** The object store the API reads (started, as an evaluator would have it): a temp directory unless given. */
  objects: ObjectStore;
  /** Applies every event appended so far to the read models. */
  project(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * `settings` overrides the API's own settings (limits, CORS, body size) for the file that tests them; `objectStore`
 * the store (an S3 bucket for the file that presigns).
 */
export const startApiTestBed = async (
  hint: string,
  settings: Partial<ApiSettings> = {},
  { objectStore }: { objectStore?: ObjectStoreConfig } = {},
): Promise<ApiTestBed> => {
  const { natsUrl, databaseUrl } = await testServices();
  const namespace = testNamespace(hint);
  const t = topology(namespace);
  const nats = await connect(natsUrl, `test-${hint}`);
  await applyTopology(nats.jsm, t, { replicas: 1 });
  const readModels = await openReadModels({ url: databaseUrl, schema: namespace });
  const adminKey = randomBytes(24).toString('base64url');
  const objectsDir = objectStore ? undefined : await mkdtemp(join(tmpdir(), 'kinitro-api-objects-'));
  const objectConfig: ObjectStoreConfig = objectStore ?? { kind: 'fs', dir: objectsDir!, publicBaseUrl: undefined };
  const objects = createObjectStore(objectConfig);
  await objects.start();
  const config: ApiConfig = {
    NATS_URL: natsUrl,
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: namespace,
    KINITRO_NAMESPACE: namespace,
    KINITRO_STREAM_REPLICAS: 1,
    API_PORT: 0,
    API_HOST: '127.0.0.1',
    ADMIN_API_KEY_SHA256: createHash('sha256').update(adminKey).digest('hex'),
    LOG_LEVEL: 'error',
    PROJECTOR_WAIT_MS: 0,
    objectStore: objectConfig,
    ...settings,
  };
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const reader = new JetStreamEventReader(nats.js, nats.jsm, t);
  const applier = new BatchApplier(readModels, namespace);
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    adminKey,
    topology: t,
    nats,
    // Signs what the seeder appends for a validator, with the dev key of its address.
    store: new JetStreamEventStore(nats.js, nats.jsm, { topology: t, producer: { app: 'api-test', version: '0.0.0' }, signer: devSigner() }),
    readModels,
    objects,
    project: async () => {
      const items: ReadItem[] = [];
      const from = (await applier.store.checkpoint(readModels)) + 1;
      for await (const item of reader.read({ fromSequence: from })) items.push(item);
      if (items.length > 0) await applier.apply(items);
    },
    dispose: async () => {
      await app.close();
      await readModels.destroy();
      await deleteTopology(nats.jsm, t);
      await nats.close();
      await dropSchemas(databaseUrl, namespace);
      if (objectsDir) await rm(objectsDir, { recursive: true, force: true });
    },
  };
};
