import { DomainError } from '../errors.js';

/**
 * The rules of the operators' rerun and cancellation requests, in one place. The API checks a request against the
 * read models before appending it (so a typo is refused at once, with the status the error's code maps to); the
 * scheduler checks the same request against its fold before acting on it (the read models may lag, and the log
 * may hold requests appended before a rule existed). Each side only gathers the facts.
 */

/** One job of a submission, as far as the rules care. */
export interface RequestJobFacts {
  jobId: string;
  benchmarkName: string;
  /** The job this one reruns; null for the submission's original jobs. */
  rerunOf: string | null;
}

/** A submission as the rules see it: null when nobody knows it (yet). */
export interface RerunFacts {
  submissionId: string;
  submission: { status: string; jobs: readonly RequestJobFacts[] } | null;
}

/** What a rerun request names: one job, some benchmarks of the submission, or (both null) all of its original jobs. */
export interface RerunTarget {
  benchmarks: readonly string[] | null;
  jobId: string | null;
}

export type Ruling<T> = { ok: true; value: T } | { ok: false; refusal: DomainError };

const refused = (refusal: DomainError): { ok: false; refusal: DomainError } => ({ ok: false, refusal });

/**
 * The ids of the jobs a rerun request reruns, or why it is refused: an unknown submission (not_found), one that is
 * not accepted (conflict: only accepted submissions have jobs), naming both benchmarks and a job, a job of another
 * submission, or a benchmark the submission has no job of (invalid). A request is honoured whole or not at all.
 */
export const rerunRuling = ({ submissionId, submission }: RerunFacts, { benchmarks, jobId }: RerunTarget): Ruling<string[]> => {
  if (benchmarks !== null && jobId !== null) {
    return refused(new DomainError('invalid', 'name benchmarks or a job to rerun, not both', { fields: ['benchmarks', 'jobId'] }));
  }
  if (submission === null) return refused(new DomainError('not_found', `submission ${submissionId} not found`));
  if (submission.status !== 'accepted') {
    return refused(
      new DomainError('conflict', `submission ${submissionId} is ${submission.status}; only accepted submissions have jobs`, {
        submissionStatus: submission.status,
      }),
    );
  }
  if (jobId !== null) {
    if (!submission.jobs.some((job) => job.jobId === jobId)) {
      return refused(new DomainError('invalid', `job ${jobId} is not a job of submission ${submissionId}`, { field: 'jobId' }));
    }
    return { ok: true, value: [jobId] };
  }
  const originals = submission.jobs.filter((job) => job.rerunOf === null);
  if (benchmarks === null) return { ok: true, value: originals.map((job) => job.jobId) };
  const unknown = benchmarks.filter((name) => !originals.some((job) => job.benchmarkName === name));
  if (unknown.length > 0) {
    return refused(new DomainError('invalid', `submission ${submissionId} has no benchmark ${unknown.join(', ')}`, { field: 'benchmarks', unknown }));
  }
  return { ok: true, value: originals.filter((job) => benchmarks.includes(job.benchmarkName)).map((job) => job.jobId) };
};

/** A job as the cancellation rule sees it: null when nobody knows it (yet). */
export interface CancellationFacts {
  jobId: string;
  job: { cancelled: boolean } | null;
}

/** Why a job cannot be cancelled (unknown: not_found; cancelled already: conflict), or null when it can. */
export const cancellationRefusal = ({ jobId, job }: CancellationFacts): DomainError | null => {
  if (job === null) return new DomainError('not_found', `job ${jobId} not found`);
  if (job.cancelled) return new DomainError('conflict', `job ${jobId} is already cancelled`, { jobStatus: 'cancelled' });
  return null;
};
