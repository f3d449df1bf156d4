import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kvm } from '@nats-io/kv';
import { episodeHeartbeatKey, newEvent, type AggregateType, type EventType, type NewEvent } from '#contracts';
import { evaluationIdFor } from '#domain';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';
import { ALICE, EVE, FERDIE, planSeed, seeder } from '../testing/scenario.js';
import { LiveClient } from '../testing/ws-client.js';

/**
 * A job (tasks reach-v3 and push-v3, one episode each: slots 0 and 1) evaluated by two validators, through the real
 * store and projection. EVE: episode 0 recorded with a sprite sheet and a trajectory in the (filesystem) object store;
 * episode 1 failed on an infrastructure fault and runs again on another evaluator, which keeps a heartbeat. FERDIE:
 * its agent crashed in episode 0, failing the evaluation.
 */
let bed: ApiTestBed;
const w = {} as Record<'submission' | 'job' | 'job2' | 'eve' | 'ferdie' | 'ep0' | 'ep1' | 'fep0', string>;
const png = randomBytes(3000);
const trajectory = Buffer.from(Array.from({ length: 50 }, (_, step) => JSON.stringify({ step, reward: step / 50 })).join('\n'));
let frame: { key: string; sha256: string };
let trajectoryObject: { key: string; sha256: string };

const get = async (path: string) => {
  const response = await request(bed.baseUrl, 'GET', `/api/v1${path}`);
  expect([path, response.status]).toEqual([path, 200]);
  return response.body;
};
const append = (aggregate: AggregateType, id: string, ...events: NewEvent[]) => bed.store.append(aggregate, id, events, { expected: 'any' });
const ref = (validator: string) => ({ evaluationId: evaluationIdFor(w.job, validator), jobId: w.job, validator });
const episode = (id: string, validator: string, task: string) => ({ episodeId: id, ...ref(validator), task, episodeIndex: 0, seed: planSeed(w.job, task) });
const SECOND = 1000;

beforeAll(async () => {
  bed = await startApiTestBed('api lifecycle');
  const seed = seeder(bed.store);
  await seed.competition('arena');
  w.submission = await seed.submission('arena', ALICE, 100);
  w.job = await seed.job({ id: w.submission, competitionId: 'arena', hotkey: ALICE }, 'control');
  w.job2 = await seed.job({ id: w.submission, competitionId: 'arena', hotkey: ALICE }, 'second');
  [w.ep0, w.ep1, w.fep0] = [randomUUID(), randomUUID(), randomUUID()];
  w.eve = evaluationIdFor(w.job, EVE);
  w.ferdie = evaluationIdFor(w.job, FERDIE);
  frame = await bed.objects.putContent(png, { contentType: 'image/png' });
  trajectoryObject = await bed.objects.putContent(trajectory, { contentType: 'application/x-ndjson' });
  await seed.permit(EVE);
  await seed.permit(FERDIE);

  await append(
    'evaluation',
    w.eve,
    newEvent('EvaluationClaimed', { ...ref(EVE), plannedEpisodes: 2 }),
    newEvent('EvaluationStarted', { ...ref(EVE), evaluator: 'ev-a' }),
  );
  await append(
    'episode',
    w.ep0,
    newEvent('EpisodeStarted', { ...episode(w.ep0, EVE, 'reach-v3'), evaluator: 'ev-a', attempt: 1 }),
    newEvent('EpisodeRecorded', {
      ...episode(w.ep0, EVE, 'reach-v3'),
      steps: 50,
      totalReward: 12.5,
      success: true,
      terminated: true,
      truncated: false,
      durationMs: 800,
      trajectoryKey: trajectoryObject.key,
      trajectory: { key: trajectoryObject.key, contentType: 'application/x-ndjson', bytes: trajectory.length, sha256: trajectoryObject.sha256 },
      frames: [
        {
          camera: 'corner',
          key: frame.key,
          steps: [0, 25],
          contentType: 'image/png',
          bytes: png.length,
          sha256: frame.sha256,
          layout: { columns: 2, rows: 1, frameWidth: 64, frameHeight: 64 },
        },
      ],
      sampledSteps: [
        { step: 0, reward: 0.1, success: false, action: [0.5, -0.5], terminated: false, truncated: false, info: { near_object: 0.8, grasp_success: false } },
        { step: 49, reward: 1, success: true, action: [0, 0], terminated: true, truncated: false },
      ],
      evaluator: 'ev-a',
      attempt: 1,
    }),
  );
  await append(
    'episode',
    w.ep1,
    newEvent('EpisodeStarted', { ...episode(w.ep1, EVE, 'push-v3'), evaluator: 'ev-a', attempt: 1 }),
    newEvent('EpisodeFailed', {
      ...episode(w.ep1, EVE, 'push-v3'),
      evaluator: 'ev-a',
      attempt: 1,
      verdict: 'INTERNAL',
      fault: 'infrastructure',
      reason: 'sandbox lost',
      stderrTail: '',
    }),
    newEvent('EpisodeStarted', { ...episode(w.ep1, EVE, 'push-v3'), evaluator: 'ev-b', attempt: 2 }),
  );

  await append(
    'evaluation',
    w.ferdie,
    newEvent('EvaluationClaimed', { ...ref(FERDIE), plannedEpisodes: 2 }),
    newEvent('EvaluationStarted', { ...ref(FERDIE), evaluator: 'ev-z' }),
  );
  const stderrTail = 'Traceback (most recent call last):\n  File "agent.py", line 3\nZeroDivisionError: division by zero';
  await append(
    'episode',
    w.fep0,
    newEvent('EpisodeStarted', { ...episode(w.fep0, FERDIE, 'reach-v3'), evaluator: 'ev-z', attempt: 1 }),
    newEvent('EpisodeFailed', {
      ...episode(w.fep0, FERDIE, 'reach-v3'),
      evaluator: 'ev-z',
      attempt: 1,
      verdict: 'CRASH',
      fault: 'miner',
      reason: 'the agent exited with code 1',
      stderrTail,
    }),
  );
  await append(
    'evaluation',
    w.ferdie,
    newEvent('EvaluationFailed', {
      ...ref(FERDIE),
      reason: 'agent_crashed',
      fault: 'miner',
      detail: 'episode reach-v3/0 crashed',
      verdict: 'CRASH',
      episodeId: w.fep0,
      stderrTail,
    }),
  );

  const ref2 = { evaluationId: evaluationIdFor(w.job2, EVE), jobId: w.job2, validator: EVE };
  await append(
    'evaluation',
    ref2.evaluationId,
    newEvent('EvaluationClaimed', { ...ref2, plannedEpisodes: 2 }),
    newEvent('EvaluationStarted', { ...ref2, evaluator: 'ev-a' }),
    newEvent('EvaluationCompleted', {
      ...ref2,
      episodes: 2,
      successRate: 0.5,
      meanReward: 6,
      successInterval: { low: 0.0945, high: 0.9055 },
      tasks: [{ task: 'reach-v3', episodes: 1, successRate: 1, meanReward: 10, successInterval: { low: 0.2065, high: 1 } }],
    }),
  );
  await bed.project();
});
afterAll(async () => {
  await bed?.nats.jsm.streams.delete(`KV_${bed.topology.activityBucket}`).catch(() => undefined);
  await bed?.dispose();
});

describe('the evaluation lifecycle', () => {
  it('shows per validator the planned, done and failed episodes, who holds what, and how it failed', async () => {
    // The activity bucket does not exist yet: no heartbeat, not an error.
    const page = await get(`/jobs/${w.job}/status`);
    const byValidator = Object.fromEntries(page.items.map((s: { validator: string }) => [s.validator, s]));
    expect(byValidator[EVE]).toMatchObject({
      status: 'RUNNING',
      evaluationId: w.eve,
      plannedEpisodes: 2,
      episodesDone: 1,
      episodesFailed: 0,
      evaluator: 'ev-a',
      verdict: null,
      finishedAt: null,
      running: [{ episodeId: w.ep1, task: 'push-v3', slot: 1, state: 'running', evaluator: 'ev-b', attempt: 2, heartbeat: null }],
    });
    expect(byValidator[FERDIE]).toMatchObject({
      status: 'FAILED',
      plannedEpisodes: 2,
      episodesDone: 0,
      episodesFailed: 1,
      evaluator: 'ev-z',
      reason: 'agent_crashed',
      fault: 'miner',
      verdict: 'CRASH',
      failedEpisodeId: w.fep0,
      stderrTail: expect.stringContaining('ZeroDivisionError: division by zero'),
      finishedAt: expect.any(String),
      running: [],
    });
  });

  it('adds the age of the heartbeat the evaluator keeps for a running episode', async () => {
    const kv = await new Kvm(bed.nats.js).create(bed.topology.activityBucket);
    const beatAt = new Date(Date.now() - 2 * SECOND).toISOString();
    const heartbeat = {
      evaluationId: w.eve,
      episodeId: w.ep1,
      slot: 1,
      evaluator: 'ev-b',
      attempt: 2,
      step: 40,
      maxSteps: 100,
      startedAt: beatAt,
      heartbeatAt: beatAt,
    };
    await kv.put(episodeHeartbeatKey(w.eve, 1), JSON.stringify(heartbeat));
    // A heartbeat in the slot of an episode that is not running says nothing.
    await kv.put(episodeHeartbeatKey(w.eve, 0), JSON.stringify({ ...heartbeat, episodeId: w.ep0, slot: 0 }));

    const [eve] = (await get(`/jobs/${w.job}/status?validator=${EVE}`)).items;
    expect(eve.running).toHaveLength(1);
    const beat = eve.running[0].heartbeat;
    expect(beat).toMatchObject({ evaluator: 'ev-b', attempt: 2, step: 40, maxSteps: 100, at: beatAt });
    expect(beat.ageMs).toBeGreaterThanOrEqual(2 * SECOND);
    expect(beat.ageMs).toBeLessThan(60 * SECOND);

    await kv.delete(episodeHeartbeatKey(w.eve, 1));
    expect((await get(`/jobs/${w.job}/status?validator=${EVE}`)).items[0].running[0].heartbeat).toBeNull();
  });

  it('serves one evaluation with every episode it started, in plan order', async () => {
    const evaluation = await get(`/evaluations/${w.eve}`);
    expect(evaluation).toMatchObject({ jobId: w.job, validator: EVE, status: 'RUNNING', episodesDone: 1 });
    expect(
      evaluation.episodes.map((e: { slot: number; episodeId: string; state: string; attempt: number }) => [e.slot, e.episodeId, e.state, e.attempt]),
    ).toEqual([
      [0, w.ep0, 'recorded', 1],
      [1, w.ep1, 'running', 2],
    ]);
    const ferdie = await get(`/evaluations/${w.ferdie}`);
    expect(ferdie.episodes).toEqual([
      expect.objectContaining({
        episodeId: w.fep0,
        state: 'failed',
        verdict: 'CRASH',
        fault: 'miner',
        reason: 'the agent exited with code 1',
        stderrTail: expect.stringContaining('line 3'),
      }),
    ]);
    const missing = await request(bed.baseUrl, 'GET', `/api/v1/evaluations/${randomUUID()}`);
    expect([missing.status, missing.contentType]).toEqual([404, expect.stringContaining('application/problem+json')]);
  });
});

describe('episodes and their objects (filesystem store: served by the API)', () => {
  it('mints frame and trajectory URLs on read and serves the bytes with content type, ETag and immutable caching', async () => {
    const ep = await get(`/episodes/${w.ep0}`);
    expect(ep.frames).toEqual([
      {
        camera: 'corner',
        key: frame.key,
        url: `/api/v1/objects/sha256/${frame.sha256}`,
        expiresAt: null,
        steps: [0, 25],
        layout: { columns: 2, rows: 1, frameWidth: 64, frameHeight: 64 },
        contentType: 'image/png',
        bytes: png.length,
        sha256: frame.sha256,
      },
    ]);
    expect(ep).toMatchObject({
      evaluator: 'ev-a',
      attempt: 1,
      trajectory: { key: trajectoryObject.key, contentType: 'application/x-ndjson', bytes: trajectory.length, sha256: trajectoryObject.sha256 },
      trajectoryUrl: `/api/v1/objects/sha256/${trajectoryObject.sha256}`,
      trajectoryUrlExpiresAt: null,
    });

    const response = await fetch(`${bed.baseUrl}${ep.frames[0].url}`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    expect(Object.fromEntries(['content-type', 'etag', 'cache-control', 'accept-ranges', 'content-length'].map((h) => [h, response.headers.get(h)]))).toEqual({
      'content-type': 'image/png',
      etag: `"${frame.sha256}"`,
      'cache-control': 'public, max-age=31536000, immutable',
      'accept-ranges': 'bytes',
      'content-length': String(png.length),
    });
    expect((await fetch(`${bed.baseUrl}${ep.frames[0].url}`, { headers: { 'if-none-match': `"${frame.sha256}"` } })).status).toBe(304);

    const streamed = await fetch(`${bed.baseUrl}/api/v1/episodes/${w.ep0}/trajectory`);
    expect([streamed.status, streamed.headers.get('content-type')]).toEqual([200, 'application/x-ndjson']);
    expect(Buffer.from(await streamed.arrayBuffer()).equals(trajectory)).toBe(true);
  });

  it('answers a byte range with exactly those bytes, and a range past the end with 416', async () => {
    const url = `${bed.baseUrl}/api/v1/objects/sha256/${frame.sha256}`;
    const partial = await fetch(url, { headers: { range: 'bytes=100-1099' } });
    expect([partial.status, partial.headers.get('content-range'), partial.headers.get('content-length')]).toEqual([
      206,
      `bytes 100-1099/${png.length}`,
      '1000',
    ]);
    expect(Buffer.from(await partial.arrayBuffer()).equals(png.subarray(100, 1100))).toBe(true);
    const suffix = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(png.subarray(png.length - 10))).toBe(true);
    const past = await fetch(url, { headers: { range: `bytes=${png.length}-` } });
    expect([past.status, past.headers.get('content-range'), past.headers.get('content-type')]).toEqual([
      416,
      `bytes */${png.length}`,
      expect.stringContaining('application/problem+json'),
    ]);
  });

  it('answers 404 problem+json for an object the store does not hold, 400 naming the parameter for a malformed one', async () => {
    const missing = await request(bed.baseUrl, 'GET', `/api/v1/objects/sha256/${'0'.repeat(64)}`);
    expect([missing.status, missing.contentType]).toEqual([404, expect.stringContaining('application/problem+json')]);
    const malformed = await request(bed.baseUrl, 'GET', '/api/v1/objects/sha256/ABC');
    expect([malformed.status, malformed.body.errors[0].field]).toEqual([400, 'hex']);
    const noTrajectory = await request(bed.baseUrl, 'GET', `/api/v1/episodes/${randomUUID()}/trajectory`);
    expect(noTrajectory.status).toBe(404);
  });

  it('serves the steps with their end flags and metrics, and filters episodes by submission', async () => {
    const steps = await get(`/episodes/${w.ep0}/steps`);
    expect(steps.items.map((s: object) => s)).toEqual([
      {
        episodeId: w.ep0,
        step: 0,
        reward: 0.1,
        success: false,
        action: [0.5, -0.5],
        terminated: false,
        truncated: false,
        info: { near_object: 0.8, grasp_success: false },
      },
      { episodeId: w.ep0, step: 49, reward: 1, success: true, action: [0, 0], terminated: true, truncated: false, info: null },
    ]);
    expect((await get(`/episodes?submission=${w.submission}`)).items.map((e: { id: string }) => e.id)).toEqual([w.ep0]);
    expect((await get(`/episodes?submission=${randomUUID()}`)).total).toBe(0);
  });

  it('filters results by submission and gives the success interval', async () => {
    const results = await get(`/results?submission=${w.submission}`);
    expect(results.items).toEqual([
      expect.objectContaining({
        jobId: w.job2,
        successRate: 0.5,
        successInterval: { low: 0.0945, high: 0.9055 },
        tasks: [{ task: 'reach-v3', episodes: 1, successRate: 1, meanReward: 10, successInterval: { low: 0.2065, high: 1 } }],
      }),
    ]);
    expect(results.items[0]).not.toHaveProperty('successLow');
    expect((await get(`/results?submission=${randomUUID()}`)).total).toBe(0);
  });
});

describe('episode events on /ws', () => {
  it('replays and pushes EpisodeStarted / EpisodeFailed / EpisodeRecorded filtered by evaluation, job and validator', async () => {
    const client = await LiveClient.connect(bed.wsUrl);
    try {
      const types: EventType[] = ['EpisodeStarted', 'EpisodeFailed', 'EpisodeRecorded'];
      await client.subscribe({ types, filters: { evaluationId: w.eve }, fromSequence: 1 });
      const replayed = await Promise.all(Array.from({ length: 5 }, () => client.next()));
      expect(replayed.map((m) => [m.event.type, m.event.data.episodeId, m.event.data.attempt])).toEqual([
        ['EpisodeStarted', w.ep0, 1],
        ['EpisodeRecorded', w.ep0, 1],
        ['EpisodeStarted', w.ep1, 1],
        ['EpisodeFailed', w.ep1, 1],
        ['EpisodeStarted', w.ep1, 2],
      ]);
      await client.subscribe({ types: ['EpisodeFailed'], filters: { jobId: w.job, validator: FERDIE }, fromSequence: 1 });
      expect(await client.next()).toMatchObject({ event: { type: 'EpisodeFailed', data: { episodeId: w.fep0, verdict: 'CRASH' } } });

      await client.subscribe({ types: ['EpisodeRecorded', 'EpisodeFailed'], filters: { evaluationId: w.eve } });
      const [live] = await append(
        'episode',
        w.ep1,
        newEvent('EpisodeFailed', {
          ...episode(w.ep1, EVE, 'push-v3'),
          evaluator: 'ev-b',
          attempt: 2,
          verdict: 'TIMEOUT',
          fault: 'miner',
          reason: 'act() missed its deadline',
          stderrTail: '',
        }),
      );
      expect(await client.next()).toMatchObject({ streamSequence: live!.streamSequence, event: { type: 'EpisodeFailed', data: { verdict: 'TIMEOUT' } } });
      expect(client.pending).toBe(0);
    } finally {
      await client.close();
    }
  });
});
