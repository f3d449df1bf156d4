import { z } from 'zod';
import { defineEvent } from '../define.js';
import { uuidSchema } from '../schemas.js';
import { text } from '../text.js';

const requestFields = { requestId: uuidSchema, requestedBy: text().min(1), reason: text().max(1000).default('') };

const byRequest = (d: { requestId: string }) => [d.requestId];
const byKey = (d: { keyId: string }) => [d.keyId];

export const RerunRequested = defineEvent({
  type: 'RerunRequested',
  aggregate: 'request',
  aggregateKey: byRequest,
  description: 'An operator asked to evaluate a submission again: all benchmarks, some, or one job.',
  schema: z
    .object({
      ...requestFields,
      submissionId: uuidSchema,
      benchmarks: z.array(text().min(1)).min(1).nullable(),
      jobId: uuidSchema.nullable(),
    })
    .refine((r) => !(r.benchmarks && r.jobId), 'name benchmarks or a job, not both'),
});

export const JobCancellationRequested = defineEvent({
  type: 'JobCancellationRequested',
  aggregate: 'request',
  aggregateKey: byRequest,
  description: 'An operator asked to cancel a job; the scheduler decides.',
  schema: z.object({ ...requestFields, jobId: uuidSchema }),
});

/** What a key may do: admin every admin route; validator and viewer identify their holder (docs/api.md, "API keys"). */
export const apiKeyRoles = ['admin', 'validator', 'viewer'] as const;
export type ApiKeyRole = (typeof apiKeyRoles)[number];

export const ApiKeyIssued = defineEvent({
  type: 'ApiKeyIssued',
  aggregate: 'api-key',
  aggregateKey: byKey,
  description:
    "An API key was issued. The event names the key (id, name, role, issuer) and carries no key material: the verifier (a salted scrypt hash) lives in the API's private key bucket, and the key itself is shown once.",
  schema: z.object({
    keyId: uuidSchema,
    name: text().min(1).max(200),
    /** Only in events from before keys had private verifiers; such keys are refused (their verifier was public). */
    sha256: text()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    role: z.enum(apiKeyRoles),
    issuedBy: text().min(1),
  }),
});

export const ApiKeyRevoked = defineEvent({
  type: 'ApiKeyRevoked',
  aggregate: 'api-key',
  aggregateKey: byKey,
  description: 'An API key stops working.',
  schema: z.object({ keyId: uuidSchema, revokedBy: text().min(1) }),
});

export const requestEvents = [RerunRequested, JobCancellationRequested, ApiKeyIssued, ApiKeyRevoked] as const;
