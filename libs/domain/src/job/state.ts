interface JobFacts {
  jobId: string;
  deadline: string;
  /** Validators the job already timed out. */
  timedOut: readonly string[];
}

export type JobState = { status: 'absent' } | ({ status: 'open' } & JobFacts) | ({ status: 'cancelled'; reason: string } & JobFacts);
