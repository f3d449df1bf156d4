import { describe, expect, it } from '@jest/globals';
import { evaluationSummary, type JobProgressRow } from './evaluation-summary.js';

const row = (jobId: string, status: string | null, extra: Partial<JobProgressRow> = {}): JobProgressRow => ({
  jobId,
  rerunOf: null,
  cancelled: false,
  status,
  ...extra,
});

describe('a submission’s evaluation, derived from its jobs', () => {
  it.each([
    ['none', []],
    ['queued', [row('a', null), row('b', null)]],
    ['running', [row('a', 'COMPLETED'), row('b', null)]],
    ['running', [row('a', 'COMPLETED'), row('a', 'RUNNING'), row('b', 'FAILED')]],
    ['finished', [row('a', 'COMPLETED'), row('a', 'TIMEOUT'), row('b', 'FAILED')]],
    ['finished', [row('a', 'COMPLETED'), row('b', null, { cancelled: true })]],
    ['cancelled', [row('a', null, { cancelled: true }), row('b', 'CANCELLED', { cancelled: true })]],
  ] as [string, JobProgressRow[]][])('is %s for %j', (state, rows) => {
    expect(evaluationSummary(rows).state).toBe(state);
  });

  it('counts jobs, reruns, cancelled jobs and validator rows per status', () => {
    expect(
      evaluationSummary([row('a', 'COMPLETED'), row('a', 'RUNNING'), row('b', null, { rerunOf: 'a' }), row('c', 'CANCELLED', { cancelled: true })]),
    ).toEqual({ state: 'running', jobs: 3, reruns: 1, cancelledJobs: 1, statuses: { COMPLETED: 1, RUNNING: 1, CANCELLED: 1 } });
  });
});
