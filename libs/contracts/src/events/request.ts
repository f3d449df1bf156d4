import { z } from 'zod';
import { defineEvent } from '../define.js';
import { uuidSchema } from '../schemas.js';

const requestFields = { requestId: uuidSchema, requestedBy: z.string().min(1), reason: z.string().max(1000).default('') };

export const RerunRequested = defineEvent({
  type: 'RerunRequested',
  aggregate: 'request',
  description: 'An operator asked to evaluate a submission again: all benchmarks, some, or one job.',
  schema: z
    .object({
      ...requestFields,
      submissionId: uuidSchema,
      benchmarks: z.array(z.string().min(1)).min(1).nullable(),
      jobId: uuidSchema.nullable(),
    })
    .refine((r) => !(r.benchmarks && r.jobId), 'name benchmarks or a job, not both'),
});

export const JobCancellationRequested = defineEvent({
  type: 'JobCancellationRequested',
  aggregate: 'request',
  description: 'An operator asked to cancel a job; the scheduler decides.',
  schema: z.object({ ...requestFields, jobId: uuidSchema }),
});

export const ApiKeyIssued = defineEvent({
  type: 'ApiKeyIssued',
  aggregate: 'api-key',
  description: 'An admin API key was issued. Only its SHA-256 is recorded; the key itself is shown once.',
  schema: z.object({
    keyId: uuidSchema,
    name: z.string().min(1).max(200),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    role: z.enum(['admin']),
    issuedBy: z.string().min(1),
  }),
});

export const ApiKeyRevoked = defineEvent({
  type: 'ApiKeyRevoked',
  aggregate: 'api-key',
  description: 'An admin API key stops working.',
  schema: z.object({ keyId: uuidSchema, revokedBy: z.string().min(1) }),
});

export const requestEvents = [RerunRequested, JobCancellationRequested, ApiKeyIssued, ApiKeyRevoked] as const;
