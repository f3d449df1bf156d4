import { afterAll, describe, expect, it } from '@jest/globals';
import { topology } from '#contracts';
import { connect, deleteTopology } from '#eventing';
import { loadConfig } from '#platform';
import { dropSchemas, testNamespace, testServices } from '#testing';
import { runMainJob } from './main-job.js';

const EMPTY_TABLE = 'd41d8cd98f00b204e9800998ecf8427e';
const namespace = testNamespace('main job');
let databaseUrl = '';
let natsUrl = '';

afterAll(async () => {
  const nats = await connect(natsUrl, 'main-job-cleanup');
  await deleteTopology(nats.jsm, topology(namespace));
  await nats.close();
  await dropSchemas(databaseUrl, namespace);
});

describe('the main job (README command)', () => {
  it('creates a competition through the API, reads it back with its events, and replays to identical tables', async () => {
    ({ natsUrl, databaseUrl } = await testServices());
    const config = loadConfig({
      NATS_URL: natsUrl,
      DATABASE_URL: databaseUrl,
      KINITRO_NAMESPACE: namespace,
      DATABASE_SCHEMA: namespace,
      API_PORT: '0',
    });
    const lines: string[] = [];
    const report = await runMainJob(config, (line) => lines.push(line));

    expect(report.competition).toMatchObject({ id: report.competitionId, active: true, weightShare: 1 });
    expect(report.events).toEqual([
      { type: 'CompetitionCreated', streamSequence: 1, aggregateVersion: 1 },
      { type: 'CompetitionActivated', streamSequence: 2, aggregateVersion: 2 },
    ]);
    expect(report.liveHashes.competitions).not.toBe(EMPTY_TABLE);
    expect(report.replays).toEqual([report.liveHashes, report.liveHashes]);
    expect(lines.join('\n')).toContain('identical');
  });
});
