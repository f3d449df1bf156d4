import { describe, expect, it } from '@jest/globals';
import { deriveId, newEvent, type NewEvent } from '#contracts';
import { jobCreated, metagraphSynced, recordUnits, shaFor, submissionAccepted, validatorFor, type AppendUnit } from '../testing/scenario.js';
import { rowKey, type LoadedRows } from './fold.js';
import { projectBatch } from './project.js';
import type { VersionedRows, VersionedTable } from './rows.js';

/**
 * One job (tasks reach and push, two episodes each) evaluated by two validators. V1: episode 0 recorded; episode 1
 * fails on an infrastructure fault, is retried by another evaluator and recorded; episode 2 is recorded twice (the
 * duplicate must not count); episode 3 crashes the agent, which fails the evaluation; a late start of episode 3's
 * first attempt arrives after. V2 completes with a success interval. Events are one second apart from
 * 2026-11-01T00:00:00Z, sequence n at second n - 1 (recordUnits).
 */
const sub = submissionAccepted('comp', 'life', 1);
const job = jobCreated(sub, 'comp', 'control-basic');
const V1 = validatorFor('life:v1');
const V2 = validatorFor('life:v2');
const evaluationOf = (validator: string) => deriveId('evaluation', job.jobId, validator);
const ref = (validator: string) => ({ evaluationId: evaluationOf(validator), jobId: job.jobId, validator });
const episodeId = (validator: string, slot: number) => deriveId('episode', evaluationOf(validator), String(slot));
const TASKS = ['reach', 'reach', 'push', 'push'];

const episodeRef = (validator: string, slot: number) => ({
  episodeId: episodeId(validator, slot),
  ...ref(validator),
  task: TASKS[slot]!,
  episodeIndex: slot % 2,
  seed: 11 + slot,
});
const evaluatorLogOf = (evaluator: string) => ({
  key: `sha256/${shaFor(`log:${evaluator}`)}`,
  contentType: 'text/plain; charset=utf-8',
  bytes: 812,
  sha256: shaFor(`log:${evaluator}`),
});
const started = (slot: number, evaluator: string, attempt: number) => newEvent('EpisodeStarted', { ...episodeRef(V1, slot), evaluator, attempt });
const failed = (slot: number, evaluator: string, attempt: number, fault: 'miner' | 'infrastructure') =>
  newEvent('EpisodeFailed', {
    ...episodeRef(V1, slot),
    evaluator,
    attempt,
    verdict: fault === 'miner' ? 'CRASH' : 'INTERNAL',
    fault,
    reason: fault === 'miner' ? 'the agent exited with code 1' : 'sandbox could not start',
    stderrTail: fault === 'miner' ? 'Traceback (most recent call last):\nZeroDivisionError' : '',
    // The infrastructure's failures stand for events written before evaluators wrote their log.
    ...(fault === 'miner' && { evaluatorLog: evaluatorLogOf(evaluator) }),
  });
const recorded = (slot: number, evaluator: string, attempt: number, totalReward = 10) => {
  const id = episodeId(V1, slot);
  return newEvent('EpisodeRecorded', {
    ...episodeRef(V1, slot),
    steps: 100,
    totalReward,
    success: slot === 0,
    terminated: slot === 0,
    truncated: slot !== 0,
    durationMs: 900,
    trajectoryKey: `sha256/${shaFor(`traj:${id}`)}`,
    trajectory: { key: `sha256/${shaFor(`traj:${id}`)}`, contentType: 'application/x-ndjson', bytes: 52_000, sha256: shaFor(`traj:${id}`) },
    frames: [
      {
        camera: 'front',
        key: `sha256/${shaFor(`front:${id}`)}`,
        steps: [0, 50],
        contentType: 'image/png',
        bytes: 4096,
        sha256: shaFor(`front:${id}`),
        layout: { columns: 2, rows: 1, frameWidth: 64, frameHeight: 64 },
      },
    ],
    sampledSteps: [
      { step: 0, reward: 0.5, success: false, action: [0.1, 0.2], terminated: false, truncated: false, info: { near_object: 0.25, grasped: false } },
      { step: 99, reward: 1, success: slot === 0, action: [0, 0], terminated: slot === 0, truncated: slot !== 0 },
    ],
    evaluator,
    attempt,
  });
};
const unit = (aggregate: AppendUnit['aggregate'], aggregateId: string, ...events: NewEvent[]): AppendUnit => ({ aggregate, aggregateId, events });

const units: AppendUnit[] = [
  job.unit, // 1
  unit(
    'evaluation',
    evaluationOf(V1),
    newEvent('EvaluationClaimed', { ...ref(V1), plannedEpisodes: 4 }),
    newEvent('EvaluationStarted', { ...ref(V1), evaluator: 'ev-a' }),
  ), // 2, 3
  unit('episode', episodeId(V1, 0), started(0, 'ev-a', 1), recorded(0, 'ev-a', 1)), // 4, 5
  unit('episode', episodeId(V1, 1), started(1, 'ev-a', 1), failed(1, 'ev-a', 1, 'infrastructure')), // 6, 7
  unit('episode', episodeId(V1, 1), started(1, 'ev-b', 2), recorded(1, 'ev-b', 2)), // 8, 9
  unit('episode', episodeId(V1, 2), started(2, 'ev-b', 1), recorded(2, 'ev-b', 1, 7), recorded(2, 'ev-c', 1, 99)), // 10, 11, 12
  unit('episode', episodeId(V1, 3), started(3, 'ev-a', 1), failed(3, 'ev-a', 1, 'miner')), // 13, 14
  unit(
    'evaluation',
    evaluationOf(V1),
    newEvent('EvaluationFailed', {
      ...ref(V1),
      reason: 'agent_crashed',
      fault: 'miner',
      detail: 'episode 3 crashed',
      verdict: 'CRASH',
      episodeId: episodeId(V1, 3),
      stderrTail: 'Traceback (most recent call last):\nZeroDivisionError',
    }),
  ), // 15
  unit('episode', episodeId(V1, 3), started(3, 'ev-a', 1)), // 16: late and stale
  unit(
    'evaluation',
    evaluationOf(V2),
    newEvent('EvaluationClaimed', { ...ref(V2), plannedEpisodes: 4 }),
    newEvent('EvaluationStarted', { ...ref(V2), evaluator: 'ev-z' }),
    newEvent('EvaluationCompleted', {
      ...ref(V2),
      episodes: 4,
      successRate: 0.75,
      meanReward: 9,
      successInterval: { low: 0.3006, high: 0.9544 },
      tasks: [
        { task: 'reach', episodes: 2, successRate: 1, meanReward: 10, successInterval: { low: 0.3424, high: 1 } },
        { task: 'push', episodes: 2, successRate: 0.5, meanReward: 8, successInterval: { low: 0.0945, high: 0.9055 } },
      ],
    }),
  ), // 17, 18, 19
];
/** The units after a metagraph giving V1 and V2 their permits, recorded at sequence 0 so the numbering above holds. */
const record = (list: AppendUnit[]) => recordUnits([metagraphSynced(7, 1, [V1, V2]), ...list], 0, Date.parse('2026-11-01T00:00:00Z') - 1000);
const at = (sequence: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + (sequence - 1) * 1000).toISOString();

type Tables = { [T in VersionedTable]: Map<string, VersionedRows[T]> };

/** Folds `events` batch by batch, keeping rows the way the SQL upsert does (newer last_sequence wins). */
const fold = (events = record(units), size = events.length) => {
  const tables = {} as Record<string, Map<string, Record<string, unknown>>>;
  const appended: Record<string, Record<string, unknown>[]> = {};
  const rejected: string[] = [];
  for (let i = 0; i < events.length; i += size) {
    const loaded = Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, [...rows.values()]])) as LoadedRows;
    const changes = projectBatch(events.slice(i, i + size), loaded);
    for (const [table, rows] of Object.entries(changes.upserts)) {
      const target = (tables[table] ??= new Map());
      for (const row of rows as unknown as Record<string, unknown>[]) target.set(rowKey(table as VersionedTable, row), row);
    }
    for (const [table, rows] of Object.entries(changes.inserts)) {
      const target = (appended[table] ??= []);
      for (const row of rows as unknown as Record<string, unknown>[]) {
        if (!target.some((r) => JSON.stringify([r.episode_id, r.step, r.stream_sequence]) === JSON.stringify([row.episode_id, row.step, row.stream_sequence])))
          target.push(row);
      }
    }
    rejected.push(...changes.rejected.map((r) => `${r.event.type}: ${r.reason}`));
  }
  return { tables: tables as unknown as Tables, appended, rejected };
};

describe('the evaluation lifecycle in the read models', () => {
  it('shows per validator what was planned, done and failed, who ran it, and why it failed', () => {
    const { tables, rejected } = fold();
    expect(rejected).toEqual([]);
    expect(tables.job_status.get(`${job.jobId}|${V1}`)).toMatchObject({
      status: 'FAILED',
      planned_episodes: 4,
      episodes_done: 3,
      episodes_failed: 1,
      evaluator: 'ev-a',
      reason: 'agent_crashed',
      fault: 'miner',
      verdict: 'CRASH',
      failed_episode_id: episodeId(V1, 3),
      stderr_tail: 'Traceback (most recent call last):\nZeroDivisionError',
      started_at: at(3),
      finished_at: at(15),
      last_sequence: 15,
    });
    expect(tables.job_status.get(`${job.jobId}|${V2}`)).toMatchObject({
      status: 'COMPLETED',
      planned_episodes: 4,
      episodes_done: 0,
      evaluator: 'ev-z',
      verdict: null,
      started_at: at(18),
      finished_at: at(19),
    });
  });

  it('keeps one state per episode: its latest attempt, who holds it, and on failure the verdict and stderr', () => {
    const { tables } = fold();
    const state = (slot: number) => tables.episode_states.get(episodeId(V1, slot));
    expect(state(0)).toMatchObject({
      state: 'recorded',
      evaluator: 'ev-a',
      attempt: 1,
      started_at: at(4),
      finished_at: at(5),
      task: 'reach',
      episode_index: 0,
      seed: 11,
    });
    expect(state(1)).toMatchObject({
      state: 'recorded',
      evaluator: 'ev-b',
      attempt: 2,
      started_at: at(8),
      finished_at: at(9),
      verdict: null,
      fault: null,
      evaluator_log: null,
    });
    expect(state(2)).toMatchObject({ state: 'recorded', evaluator: 'ev-b', attempt: 1, finished_at: at(11), last_sequence: 11 });
    expect(state(3)).toEqual({
      episode_id: episodeId(V1, 3),
      evaluation_id: evaluationOf(V1),
      job_id: job.jobId,
      validator: V1,
      task: 'push',
      episode_index: 1,
      seed: 14,
      state: 'failed',
      evaluator: 'ev-a',
      attempt: 1,
      started_at: at(13),
      finished_at: at(14),
      verdict: 'CRASH',
      fault: 'miner',
      reason: 'the agent exited with code 1',
      stderr_tail: 'Traceback (most recent call last):\nZeroDivisionError',
      evaluator_log: evaluatorLogOf('ev-a'),
      last_sequence: 14,
    });
  });

  it('counts an infrastructure failure until the retry runs, then the recording', () => {
    const events = record(units);
    const status = (upTo: number) => {
      const { tables } = fold(events.slice(0, upTo + 1)); // + the metagraph at sequence 0;
      const row = tables.job_status.get(`${job.jobId}|${V1}`)!;
      return [row.status, row.episodes_done, row.episodes_failed, tables.episode_states.get(episodeId(V1, 1))?.state];
    };
    expect(status(6)).toEqual(['RUNNING', 1, 0, 'running']);
    expect(status(7)).toEqual(['RUNNING', 1, 1, 'failed']);
    expect(status(8)).toEqual(['RUNNING', 1, 0, 'running']);
    expect(status(9)).toEqual(['RUNNING', 2, 0, 'recorded']);
  });

  it('keeps the first recording of an episode: the trajectory ref, who recorded it, the steps with their flags and metrics', () => {
    const { tables, appended } = fold();
    expect(tables.episodes.size).toBe(3);
    const id = episodeId(V1, 2);
    expect(tables.episodes.get(id)).toMatchObject({
      total_reward: 7,
      evaluator: 'ev-b',
      attempt: 1,
      trajectory_key: `sha256/${shaFor(`traj:${id}`)}`,
      trajectory_content_type: 'application/x-ndjson',
      trajectory_bytes: 52_000,
      trajectory_sha256: shaFor(`traj:${id}`),
      recorded_at: at(11),
    });
    const steps = appended.steps!.filter((s) => s.episode_id === episodeId(V1, 0));
    expect(steps).toEqual([
      {
        episode_id: episodeId(V1, 0),
        step: 0,
        reward: 0.5,
        success: false,
        action: [0.1, 0.2],
        terminated: false,
        truncated: false,
        info: { near_object: 0.25, grasped: false },
      },
      { episode_id: episodeId(V1, 0), step: 99, reward: 1, success: true, action: [0, 0], terminated: true, truncated: false, info: null },
    ]);
    expect(appended.steps).toHaveLength(6);
  });

  it('stores the success interval of a result next to the per-task ones', () => {
    const { tables } = fold();
    expect(tables.results.get(evaluationOf(V2))).toMatchObject({ success_rate: 0.75, success_low: 0.3006, success_high: 0.9544 });
    expect((tables.results.get(evaluationOf(V2))!.tasks as { successInterval: unknown }[])[1]!.successInterval).toEqual({ low: 0.0945, high: 0.9055 });
  });

  it('takes a repeated start of a running attempt as a repeat: the episode keeps when it started', () => {
    const events = record([...units.slice(0, 2), unit('episode', episodeId(V1, 0), started(0, 'ev-a', 1), started(0, 'ev-a', 1))]);
    const { tables } = fold(events);
    expect(tables.episode_states.get(episodeId(V1, 0))).toMatchObject({ state: 'running', started_at: at(4), last_sequence: 4 });
  });

  it('ends with the same rows however the stream is cut into batches', () => {
    const whole = fold();
    for (const size of [1, 2, 5]) expect(fold(undefined, size)).toEqual(whole);
  });
});
