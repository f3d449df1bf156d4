import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { newEvent } from '#contracts';
import { evaluationIdFor } from '#domain';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, claim, complete, DAVE, EVE, planSeed, seeder, start } from '../testing/scenario.js';

let bed: ApiTestBed;
let submissionId: string;
let jobId: string;
let recordedId: string;
let failedId: string;
const EVALUATOR_LOG = '2026-12-02T10:00:00.000Z item episode …: push-v3 #0\n2026-12-02T10:00:01.000Z verdict CRASH, fault agent\n';
let evaluatorLogRef: { key: string; sha256: string; bytes: number; contentType: string };
const STDERR = 'Traceback (most recent call last):\n  File "agent.py", line 3\nRuntimeError: boom';
// The logs need a key (any role: docs/api.md); the role matrix is role-matrix.int.spec.ts.
const get = (path: string) => request(bed.baseUrl, 'GET', `/api/v1${path}`, { headers: { 'x-api-key': bed.adminKey } });

beforeAll(async () => {
  bed = await startApiTestBed('api logs');
  const seed = seeder(bed.store);
  await seed.competition('logs');
  submissionId = await seed.submission('logs', ALICE, 100);
  jobId = await seed.job({ id: submissionId, competitionId: 'logs', hotkey: ALICE }, 'control');
  const evaluationId = evaluationIdFor(jobId, EVE);
  const ref = { evaluationId, jobId, validator: EVE };
  const trajectory = await bed.objects.putContent(Buffer.from('{"step":0}\n'), { contentType: 'application/x-ndjson' });
  const log = await bed.objects.putContent(Buffer.from(EVALUATOR_LOG), { contentType: 'text/plain; charset=utf-8' });
  evaluatorLogRef = { key: log.key, sha256: log.sha256, bytes: log.size, contentType: log.contentType };
  recordedId = randomUUID();
  failedId = randomUUID();
  await seed.evaluate(jobId, EVE, claim(jobId, EVE), start);
  const episode = (episodeId: string, task: string) => ({ episodeId, ...ref, task, episodeIndex: 0, seed: planSeed(jobId, task) });
  await bed.store.append(
    'episode',
    recordedId,
    [
      newEvent('EpisodeStarted', { ...episode(recordedId, 'reach-v3'), evaluator: 'evaluator-1', attempt: 1 }),
      newEvent('EpisodeRecorded', {
        ...episode(recordedId, 'reach-v3'),
        steps: 1,
        totalReward: 1,
        success: true,
        terminated: true,
        truncated: false,
        durationMs: 5,
        trajectoryKey: trajectory.key,
        frames: [],
        sampledSteps: [],
      }),
    ],
    { expected: 'any' },
  );
  await bed.store.append(
    'episode',
    failedId,
    [
      newEvent('EpisodeStarted', { ...episode(failedId, 'push-v3'), evaluator: 'evaluator-2', attempt: 1 }),
      newEvent('EpisodeFailed', {
        ...episode(failedId, 'push-v3'),
        evaluator: 'evaluator-2',
        attempt: 1,
        verdict: 'CRASH',
        fault: 'miner',
        reason: 'the agent exited with code 1',
        stderrTail: STDERR,
        evaluatorLog: evaluatorLogRef,
      }),
    ],
    { expected: 'any' },
  );
  await seed.evaluate(jobId, EVE, {
    type: 'FailEvaluation',
    reason: 'agent_crashed',
    fault: 'miner',
    detail: 'exit code 1',
    verdict: 'CRASH',
    episodeId: failedId,
    stderrTail: STDERR,
  });
  // A second validator that completed: its log has no failure.
  await seed.evaluate(jobId, DAVE, claim(jobId, DAVE), start, complete(1));
  await bed.project();
});
afterAll(async () => {
  await bed?.dispose();
});

describe('logs of a result, a job and a submission', () => {
  it('gives one evaluation’s log: status changes, the failure with the agent’s stderr, and each episode', async () => {
    const { status, body } = await get(`/results/${evaluationIdFor(jobId, EVE)}/logs`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      jobId,
      validator: EVE,
      evaluator: 'evaluator-1',
      status: 'FAILED',
      fault: 'miner',
      verdict: 'CRASH',
      detail: 'exit code 1',
      failedEpisodeId: failedId,
      stderrTail: STDERR,
    });
    expect(body.lines.map((l: { status: string }) => l.status)).toEqual(['STARTING', 'RUNNING', 'FAILED']);
    expect(body.lines[2]).toMatchObject({ reason: 'agent_crashed', fault: 'miner' });
    expect(body.episodes).toEqual([
      expect.objectContaining({
        episodeId: failedId,
        task: 'push-v3',
        state: 'failed',
        evaluator: 'evaluator-2',
        verdict: 'CRASH',
        stderrTail: STDERR,
        trajectoryUrl: null,
      }),
      expect.objectContaining({
        episodeId: recordedId,
        task: 'reach-v3',
        state: 'recorded',
        stderrTail: null,
        trajectoryUrl: expect.stringMatching(/^\/api\/v1\/objects\/sha256\/[0-9a-f]{64}$/),
      }),
    ]);
    // The minted URL serves the trajectory.
    const trajectory = await fetch(`${bed.baseUrl}${body.episodes[1].trajectoryUrl}`);
    expect(await trajectory.text()).toBe('{"step":0}\n');
    // The evaluator's log as the failed episode named it (the recorded one, an older event, names none), and per evaluator.
    const evaluatorLog = {
      evaluator: 'evaluator-2',
      episodeId: failedId,
      ...evaluatorLogRef,
      url: `/api/v1/objects/${evaluatorLogRef.key}`,
      urlExpiresAt: null,
    };
    expect(body.episodes.map((e: { evaluatorLog: unknown }) => e.evaluatorLog)).toEqual([evaluatorLog, null]);
    expect(body.evaluatorLogs).toEqual([evaluatorLog]);
    expect(await (await fetch(`${bed.baseUrl}${evaluatorLog.url}`)).text()).toBe(EVALUATOR_LOG);
  });

  it('gives a job’s logs per validator and a submission’s across its jobs', async () => {
    const job = await get(`/jobs/${jobId}/logs`);
    expect(job.body.evaluations.map((e: { validator: string; status: string }) => [e.validator, e.status]).sort()).toEqual(
      [
        [DAVE, 'COMPLETED'],
        [EVE, 'FAILED'],
      ].sort(),
    );
    const dave = job.body.evaluations.find((e: { validator: string }) => e.validator === DAVE);
    expect(dave).toMatchObject({ stderrTail: null, fault: null, episodes: [], evaluatorLogs: [] });
    const submission = await get(`/submissions/${submissionId}/logs`);
    expect(submission.body).toEqual({ submissionId, evaluations: job.body.evaluations });
  });

  it('answers 404 for what does not exist and 400 for a malformed id', async () => {
    for (const path of [`/results/${randomUUID()}/logs`, `/jobs/${randomUUID()}/logs`, `/submissions/${randomUUID()}/logs`]) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.contentType).toContain('application/problem+json');
    }
    expect((await get('/jobs/not-a-uuid/logs')).status).toBe(400);
  });
});
