import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import { EVENT_READER, type EventReader } from '#eventing';
import type { Config } from '#platform';
import { eventually } from '#testing';
import { LiveProjector, ReplayService, tableHashes, type TableHashes } from '#read-models';
import { createApiApp } from '../../apps/api/src/create-api-app.js';
import { ProjectorModule, READ_MODELS } from '../../apps/projector/src/projector.module.js';

/**
 * The platform's main job, in one process against the configured NATS and Postgres: the apps that exist run
 * side by side and talk only through JetStream; this drives them the way an operator and an auditor would.
 */
export interface MainJobReport {
  competitionId: string;
  competition: Record<string, unknown>;
  events: { type: string; streamSequence: number; aggregateVersion: number }[];
  liveHashes: TableHashes;
  replays: TableHashes[];
}

type Say = (line: string) => void;

const competitionRequest = (id: string) => ({
  id,
  name: `Demo competition ${id}`,
  description: 'Control tasks that need no assets, and the MetaWorld MT10 suite.',
  benchmarks: [
    { name: 'control', provider: 'control', tasks: ['CartPole-v1', 'Pendulum-v1'], episodesPerTask: 5, maxSteps: 500, timeoutSeconds: 600 },
    {
      name: 'mt10',
      provider: 'metaworld',
      tasks: ['reach-v3', 'push-v3', 'pick-place-v3'],
      episodesPerTask: 10,
      maxSteps: 500,
      timeoutSeconds: 3600,
      camera: { names: ['corner'], width: 128, height: 128, everyNSteps: 25 },
    },
  ],
  weightShare: 1,
  maxRepoBytes: 500_000_000,
  submissionRateLimit: { count: 3, perSeconds: 86_400 },
});


const http = async (base: string, method: string, path: string, key?: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return { status: response.status, body: json };
};

const hashTable = (live: TableHashes, replays: TableHashes[]): string[] =>
  Object.keys(live).map((table) => {
    const same = replays.every((r) => r[table] === live[table]);
    return `  ${table.padEnd(20)} ${live[table]}  ${replays.map((r) => r[table]).join('  ')}  ${same ? 'identical' : 'DIFFERENT'}`;
  });

export const runMainJob = async (config: Config, say: Say = console.log): Promise<MainJobReport> => {
  // A fresh admin key for this run; only its hash reaches the API, as in production.
  const adminKey = randomBytes(24).toString('base64url');
  // The narration below is the output: Nest's own start-up lines only at warn and above.
  const apiConfig = {
    ...config,
    ADMIN_API_KEY_SHA256: createHash('sha256').update(adminKey).digest('hex'),
    LOG_LEVEL: config.LOG_LEVEL === 'log' ? ('warn' as const) : config.LOG_LEVEL,
  };
  say(`NATS ${config.NATS_URL} (namespace ${config.KINITRO_NAMESPACE}), Postgres schema ${config.DATABASE_SCHEMA}`);

  let api: NestExpressApplication | undefined;
  let projector: INestApplicationContext | undefined;
  const stopProjector = new AbortController();
  let projecting: Promise<void> | undefined;
  try {
    api = await createApiApp(apiConfig);
    await api.listen(config.API_PORT, config.API_HOST);
    const { port } = api.getHttpServer().address() as { port: number };
    const base = `http://${config.API_HOST}:${port}`;
    say(`api listening on ${base} (OpenAPI at ${base}/api/docs)`);

    projector = await NestFactory.createApplicationContext(ProjectorModule.register(config), { logger: ['error', 'warn'] });
    projecting = projector.get(LiveProjector).run(stopProjector.signal);
    say('projector following the event stream');

    const competitionId = `demo-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
    const created = await http(base, 'POST', '/api/v1/admin/competitions', adminKey, competitionRequest(competitionId));
    const activated = await http(base, 'POST', `/api/v1/admin/competitions/${competitionId}/activate`, adminKey);
    for (const e of [...created.body.events, ...activated.body.events]) {
      say(`appended ${e.type} to competition ${e.aggregateId} v${e.aggregateVersion} at stream sequence ${e.streamSequence}`);
    }

    const competition = await eventually('the projector to show the competition active', async () => {
      const { status, body } = await http(base, 'GET', `/api/v1/competitions/${competitionId}`);
      return status === 200 && body.active ? (body as Record<string, unknown>) : undefined;
    }, 30_000);
    say(`\nGET /api/v1/competitions/${competitionId}\n${JSON.stringify(competition, null, 2)}`);

    const history = await http(base, 'GET', `/api/v1/events/competition/${competitionId}`);
    say(`\nGET /api/v1/events/competition/${competitionId} (the events behind it)`);
    for (const event of history.body.items) say(JSON.stringify(event, null, 2));

    const reader = api.get<EventReader>(EVENT_READER);
    const readModels = projector.get<DataSource>(READ_MODELS);
    const last = await reader.lastSequence();
    await eventually('the live projector to reach the end of the stream', async () => {
      const rows: { last_sequence: string }[] = await readModels.query(
        `SELECT last_sequence FROM "${config.DATABASE_SCHEMA}".projector_checkpoint`,
      );
      return Number(rows[0]?.last_sequence ?? 0) >= last;
    }, 30_000);
    const liveHashes = await tableHashes(readModels, config.DATABASE_SCHEMA);

    const replays: TableHashes[] = [];
    for (const n of [1, 2]) {
      const report = await projector.get(ReplayService).replay();
      replays.push(report.hashes);
      say(`\nreplay ${n}: rebuilt every table from sequence 1 to ${report.lastSequence} (${report.events} events) in ${report.seconds.toFixed(2)} s, ${report.swapped ? 'swapped in' : 'left in ' + report.schema}`);
    }
    say(`\ntable hashes (live, replay 1, replay 2):\n${hashTable(liveHashes, replays).join('\n')}`);
    const events = history.body.items.map(({ type, streamSequence, aggregateVersion }: MainJobReport['events'][number]) => ({ type, streamSequence, aggregateVersion }));
    return { competitionId, competition, events, liveHashes, replays };
  } finally {
    stopProjector.abort();
    await projecting?.catch(() => undefined);
    await projector?.close();
    await api?.close();
  }
};
