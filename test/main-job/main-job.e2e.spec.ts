import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#platform';
import { testNamespace, testServices } from '#testing';
import { runMainJob } from './main-job.js';

const EMPTY_TABLE = 'd41d8cd98f00b204e9800998ecf8427e';

describe('the main job (README command)', () => {
  it('runs an upload and commit through chain monitor and scheduler to jobs over REST and WS, then replays to identical tables', async () => {
    const { natsUrl, databaseUrl } = await testServices();
    const namespace = testNamespace('main job');
    const config = loadConfig({ NATS_URL: natsUrl, DATABASE_URL: databaseUrl, KINITRO_NAMESPACE: namespace, DATABASE_SCHEMA: namespace, API_PORT: '0' });
    const lines: string[] = [];
    const report = await runMainJob(config, (line) => lines.push(line));

    expect(report.competition).toMatchObject({ id: report.competitionId, active: true });
    expect(report.submission).toMatchObject({ status: 'accepted', competitionId: report.competitionId, repo: 'bob/demo-agent' });
    expect(report.jobs.map((j) => j.benchmarkName).sort()).toEqual(['control', 'mt10']);
    expect(report.pushedJobIds.sort()).toEqual(report.jobs.map((j) => j.id).sort());
    expect(report.submissionEvents.map((e) => e.type)).toEqual(['SubmissionReceived', 'SubmissionAccepted']);
    expect(report.minerStatus).toContain('accepted');
    expect(report.liveHashes.jobs).not.toBe(EMPTY_TABLE);
    expect(report.replays).toEqual([report.liveHashes, report.liveHashes]);
    expect(lines.join('\n')).toContain('identical');
  });
});
