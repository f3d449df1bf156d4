/** One (job, validator status) pair of a submission, as read from jobs LEFT JOIN job_status. */
export interface JobProgressRow {
  jobId: string;
  rerunOf: string | null;
  cancelled: boolean;
  /** Null for a job no validator has touched (everyone has it QUEUED). */
  status: string | null;
}

export const evaluationStates = ['none', 'queued', 'running', 'finished', 'cancelled'] as const;
export type EvaluationState = (typeof evaluationStates)[number];

export interface EvaluationSummary {
  state: EvaluationState;
  jobs: number;
  reruns: number;
  cancelledJobs: number;
  /** Validator rows per status over every job (validators that never touched a job are not counted). */
  statuses: Record<string, number>;
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED']);

/**
 * Where a submission's evaluation stands, derived from its jobs: none (no job yet: not accepted, or not
 * projected yet), cancelled (every job), queued (no validator touched any live job), finished (every live job
 * has results and none is still in progress), running otherwise.
 */
export const evaluationSummary = (rows: readonly JobProgressRow[]): EvaluationSummary => {
  const jobs = new Map<string, { rerunOf: string | null; cancelled: boolean; statuses: string[] }>();
  for (const row of rows) {
    const job = jobs.get(row.jobId) ?? { rerunOf: row.rerunOf, cancelled: row.cancelled, statuses: [] };
    if (row.status) job.statuses.push(row.status);
    jobs.set(row.jobId, job);
  }
  const statuses: Record<string, number> = {};
  for (const job of jobs.values()) for (const status of job.statuses) statuses[status] = (statuses[status] ?? 0) + 1;
  const live = [...jobs.values()].filter((job) => !job.cancelled);
  const state: EvaluationState =
    jobs.size === 0
      ? 'none'
      : live.length === 0
        ? 'cancelled'
        : live.every((job) => job.statuses.length === 0)
          ? 'queued'
          : live.every((job) => job.statuses.length > 0 && job.statuses.every((s) => TERMINAL.has(s)))
            ? 'finished'
            : 'running';
  return {
    state,
    jobs: jobs.size,
    reruns: [...jobs.values()].filter((job) => job.rerunOf !== null).length,
    cancelledJobs: jobs.size - live.length,
    statuses,
  };
};
