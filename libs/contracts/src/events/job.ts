import { z } from 'zod';
import { defineEvent } from '../define.js';
import { benchmarkSpecSchema, competitionIdSchema, nonNegativeInt, repoIdSchema, revisionSchema, ss58Schema, uuidSchema } from '../schemas.js';
import { text } from '../text.js';

/** A benchmark spec frozen at job creation, with the seed of every episode fixed so a run can be repeated exactly. */
export const frozenBenchmarkSchema = benchmarkSpecSchema.extend({
  seeds: z.array(nonNegativeInt).min(1),
});

const byJob = (d: { jobId: string }) => [d.jobId];

export const JobCreated = defineEvent({
  type: 'JobCreated',
  aggregate: 'job',
  aggregateKey: byJob,
  description: 'One benchmark of an accepted submission is ready to be evaluated by every validator.',
  schema: z.object({
    jobId: uuidSchema,
    submissionId: uuidSchema,
    competitionId: competitionIdSchema,
    hotkey: ss58Schema,
    repo: repoIdSchema,
    revision: revisionSchema,
    benchmark: frozenBenchmarkSchema,
    /** Absolute deadline for each validator, derived from the cause's recorded time: replays agree. */
    deadline: z.iso.datetime({ offset: true }),
    rerunOf: uuidSchema.nullable(),
  }),
});

export const JobTimedOut = defineEvent({
  type: 'JobTimedOut',
  aggregate: 'job',
  aggregateKey: byJob,
  description: 'One validator produced no terminal result before the deadline. Other validators are unaffected.',
  schema: z.object({ jobId: uuidSchema, validator: ss58Schema, deadline: z.iso.datetime({ offset: true }) }),
});

export const JobCancelled = defineEvent({
  type: 'JobCancelled',
  aggregate: 'job',
  aggregateKey: byJob,
  description: 'The job will not be evaluated further by anyone.',
  schema: z.object({ jobId: uuidSchema, reason: text().min(1).max(1000), requestedBy: text().min(1) }),
});

export const jobEvents = [JobCreated, JobTimedOut, JobCancelled] as const;
