import { describe, expect, it } from '@jest/globals';
import { newEvent } from '#contracts';
import { evaluation, hotkeyFor, jobCreated, metagraphSynced, platformScenario, recordUnits, submissionAccepted, validatorFor } from '../testing/scenario.js';
import { appendedTables, versionedTables } from '../tables.js';
import { rowKey, type BatchChanges, type LoadedRows } from './fold.js';
import { projectBatch, projectingBatch } from './project.js';
import type { AppendedTable, VersionedTable } from './rows.js';

/** A stand-in for the tables: applies changes with the same guard as the SQL upsert. */
class FakeTables {
  readonly versioned = new Map<VersionedTable, Map<string, Record<string, unknown>>>(
    (Object.keys(versionedTables) as VersionedTable[]).map((t) => [t, new Map()]),
  );
  readonly appended = new Map<string, Map<string, unknown>>();

  apply(changes: BatchChanges): void {
    for (const [table, rows] of Object.entries(changes.upserts) as unknown as [VersionedTable, Record<string, unknown>[]][]) {
      for (const row of rows) {
        const current = this.versioned.get(table)!.get(rowKey(table, row));
        if (!current || Number(current.last_sequence) < Number(row.last_sequence)) this.versioned.get(table)!.set(rowKey(table, row), row);
      }
    }
    for (const [table, rows] of Object.entries(changes.inserts)) {
      const existing = this.appended.get(table) ?? new Map();
      for (const row of rows) {
        const key = JSON.stringify(appendedTables[table as AppendedTable].map((column) => (row as unknown as Record<string, unknown>)[column]));
        if (!existing.has(key)) existing.set(key, row);
      }
      this.appended.set(table, existing);
    }
  }

  loaded(): LoadedRows {
    return Object.fromEntries([...this.versioned].map(([t, rows]) => [t, [...rows.values()]]));
  }

  rows(table: string): Record<string, unknown>[] {
    const rows = this.versioned.get(table as VersionedTable) ?? this.appended.get(table);
    return [...(rows?.values() ?? [])] as Record<string, unknown>[];
  }

  snapshot(): unknown {
    const sorted = (m: Map<string, unknown>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
    return {
      versioned: [...this.versioned].map(([t, m]) => [t, sorted(m)]),
      appended: [...this.appended].sort(([a], [b]) => a.localeCompare(b)).map(([t, m]) => [t, sorted(m)]),
    };
  }
}

const project = (events = recordUnits(platformScenario())) => {
  const tables = new FakeTables();
  const changes = projectBatch(events, tables.loaded());
  tables.apply(changes);
  return { tables, changes, events };
};

describe('projectBatch', () => {
  it('builds every read model from a realistic event history', () => {
    const { tables, changes } = project();
    const validators = [validatorFor('v1:a'), validatorFor('v2:a'), validatorFor('v3:a')];
    expect(changes.rejected).toEqual([]);

    const [competition] = tables.rows('competitions');
    expect(competition).toMatchObject({ id: 'reach-a', name: 'Reach v2', active: true, version: 3, win_margin: 0.05 });

    const submissions = tables.rows('submissions');
    expect(submissions.map((s) => s.status).sort()).toEqual(['accepted', 'accepted', 'rejected']);
    const accepted = submissions.find((s) => s.status === 'accepted')!;
    expect(accepted.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(accepted.received_at).not.toEqual(accepted.decided_at);
    expect(submissions.find((s) => s.status === 'rejected')).toMatchObject({ competition_id: null, rejection_reason: 'malformed_commitment' });

    const jobs = tables.rows('jobs');
    expect(jobs).toHaveLength(4);
    expect(jobs.filter((j) => j.cancelled).map((j) => j.benchmark_name)).toEqual(['control-hard', 'control-hard']);

    const statuses = tables.rows('job_status').map((r) => `${r.status}:${validators.indexOf(r.validator as string)}`);
    expect(statuses.sort()).toEqual(['CANCELLED:0', 'CANCELLED:0', 'COMPLETED:0', 'COMPLETED:0', 'FAILED:1', 'FAILED:1', 'TIMEOUT:2', 'TIMEOUT:2']);
    expect(tables.rows('job_status').find((r) => r.status === 'FAILED')).toMatchObject({ reason: 'agent_crashed', fault: 'miner' });
    // Claimed, Started, then the end: three transitions for each evaluation, the cancelled one included, and the timeout.
    expect(tables.rows('job_status_history')).toHaveLength(2 * (3 + 3 + 3 + 1));
    expect(tables.rows('job_status_history').filter((h) => h.status === 'CANCELLED')).toHaveLength(2);

    const results = tables.rows('results');
    expect(results).toHaveLength(2);
    for (const result of results) {
      const job = jobs.find((j) => j.id === result.job_id)!;
      expect(result).toMatchObject({ competition_id: 'reach-a', hotkey: job.hotkey, submission_id: job.submission_id, success_rate: 0.5 });
    }

    expect(tables.rows('episodes')).toHaveLength(2 * 7);
    expect(tables.rows('steps')).toHaveLength(2 * 7 * 3);
    // Per submission: 4 (the whole plan) recorded for the completed evaluation, 2 recorded and 1 crashed for the failed one, 1 recorded and 1 running for the cancelled one.
    const states = tables.rows('episode_states').map((e) => e.state);
    expect(states.sort()).toEqual([...Array(14).fill('recorded'), 'failed', 'failed', 'running', 'running'].sort());
    const counts = tables.rows('job_status').map((r) => `${r.status}:${r.planned_episodes}:${r.episodes_done}:${r.episodes_failed}`);
    expect(counts.sort()).toEqual([
      'CANCELLED:4:1:0',
      'CANCELLED:4:1:0',
      'COMPLETED:4:4:0',
      'COMPLETED:4:4:0',
      'FAILED:4:2:1',
      'FAILED:4:2:1',
      'TIMEOUT:null:0:0',
      'TIMEOUT:null:0:0',
    ]);
    expect(tables.rows('job_status').find((r) => r.status === 'FAILED')).toMatchObject({ verdict: 'CRASH', evaluator: 'evaluator-1' });
    expect(results[0]).toMatchObject({ success_low: 0.1, success_high: 0.9 });

    const byHotkey = new Map(tables.rows('validators').map((v) => [v.hotkey, v]));
    expect(byHotkey.size).toBe(4);
    expect(byHotkey.get(validators[0]!)).toMatchObject({ active: true, last_seen_block: 200, validator_permit: true });
    // No longer listed: inactive, and without the permit it had (the judge reads it).
    expect(byHotkey.get(validators[2]!)).toMatchObject({ active: false, last_seen_block: 100, validator_permit: false });
    expect(byHotkey.get(validators[0]!)!.stake).toBe('1000000000000000000000');

    expect(tables.rows('weights_history').map((w) => w.kind)).toEqual(['scores', 'set']);
    expect(
      tables
        .rows('api_keys')
        .map((k) => k.revoked)
        .sort(),
    ).toEqual([false, true]);

    const commitments = tables.rows('commitments');
    expect(commitments.find((c) => c.hotkey === hotkeyFor('miner:a1'))).toMatchObject({
      valid: true,
      competition_id: 'reach-a',
      repo: 'miner/agent',
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      rejection_reason: null,
    });
    expect(commitments.find((c) => c.hotkey === hotkeyFor('miner:a2'))).toMatchObject({
      valid: false,
      competition_id: null,
      raw: `0x${Buffer.from('hello, chain').toString('hex')}`,
      rejection_reason: 'unknown_format',
      rejection_detail: expect.stringContaining('k1:<competition>'),
    });
  });

  it('changes nothing when a batch is applied again over its own result', () => {
    const { tables, events } = project();
    const again = projectBatch(events, tables.loaded());
    for (const rows of Object.values(again.upserts)) expect(rows).toEqual([]);
    const before = tables.snapshot();
    tables.apply(again);
    expect(tables.snapshot()).toEqual(before);
  });

  it('folds in steps to the same changes as in one go, pausing after every slice of events', () => {
    const { changes, events } = project();
    for (const slice of [1, 4, 50]) {
      const folding = projectingBatch(events, new FakeTables().loaded(), slice);
      let pauses = 0;
      let step = folding.next();
      for (; !step.done; step = folding.next()) pauses++;
      expect({ slice, pauses, changes: step.value }).toEqual({ slice, pauses: Math.ceil(events.length / slice) - 1, changes });
    }
  });

  it('ends with the same rows however the stream is cut into batches', () => {
    const { tables: whole, events } = project();
    for (const size of [1, 3, 7, 20]) {
      const tables = new FakeTables();
      for (let i = 0; i < events.length; i += size) tables.apply(projectBatch(events.slice(i, i + size), tables.loaded()));
      expect(tables.snapshot()).toEqual(whole.snapshot());
    }
  });

  it('keeps a terminal status when a timeout arrives after the result', () => {
    const sub = submissionAccepted('comp', 'x', 1);
    const job = jobCreated(sub, 'comp', 'control-basic');
    const validator = validatorFor('v');
    const events = recordUnits([
      metagraphSynced(7, 100, [validator]),
      job.unit,
      ...evaluation(job.jobId, validator, 'completed'),
      { aggregate: 'job', aggregateId: job.jobId, events: [newEvent('JobTimedOut', { jobId: job.jobId, validator, deadline: '2026-12-01T00:00:00.000Z' })] },
    ]);
    const { tables, changes } = project(events);
    expect(changes.rejected).toEqual([]);
    const completed = events.find((e) => e.type === 'EvaluationCompleted')!;
    expect(tables.rows('job_status')).toEqual([expect.objectContaining({ status: 'COMPLETED', last_sequence: completed.streamSequence })]);
    expect(tables.rows('job_status_history').map((h) => h.status)).toEqual(['STARTING', 'RUNNING', 'COMPLETED']);
  });

  it('rejects every event of an evaluation of a job it has never seen, instead of inventing its owner: no row changes', () => {
    const validator = validatorFor('v');
    const events = recordUnits([metagraphSynced(7, 100, [validator]), ...evaluation('0193a000-0000-7000-8000-000000000001', validator, 'completed')]);
    const { changes, tables } = project(events);
    expect(changes.rejected.map((r) => r.event.type)).toEqual(events.slice(1).map((e) => e.type));
    expect(new Set(changes.rejected.map((r) => r.reason.split(':')[0]))).toEqual(new Set(['unknown_job']));
    for (const table of ['results', 'job_status', 'job_status_history', 'episodes', 'episode_states', 'steps']) expect(tables.rows(table)).toEqual([]);
    expect(tables.rows('rejected_events')).toHaveLength(events.length - 1);
  });
});
