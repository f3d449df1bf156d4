import { z } from 'zod';
import { defineEvent } from '../define.js';
import { competitionIdSchema, nonNegativeInt, repoIdSchema, revisionSchema, ss58Schema, uuidSchema } from '../schemas.js';
import { text } from '../text.js';

export const submissionRejectionReasons = [
  'malformed_commitment',
  'unknown_competition',
  'inactive_competition',
  'unregistered_hotkey',
  'repo_not_found',
  'revision_not_found',
  'too_large',
  'no_manifest',
  'rate_limited',
  'duplicate',
] as const;
/** Longest `SubmissionRejected.detail`; producers bound foreign text to it with `sanitizeText`. */
export const REJECTION_DETAIL_MAX_CHARS = 2000;

export const submissionRejectionReasonSchema = z.enum(submissionRejectionReasons);
export type SubmissionRejectionReason = z.infer<typeof submissionRejectionReasonSchema>;

const origin = {
  submissionId: uuidSchema,
  hotkey: ss58Schema,
  block: nonNegativeInt,
  /** The CommitmentObserved event this submission came from. */
  commitmentEventId: uuidSchema,
};

const bySubmission = (d: { submissionId: string }) => [d.submissionId];

export const SubmissionReceived = defineEvent({
  type: 'SubmissionReceived',
  aggregate: 'submission',
  aggregateKey: bySubmission,
  description: 'A commitment decoded into a submission that is now being validated.',
  schema: z.object({
    ...origin,
    competitionId: competitionIdSchema,
    repo: repoIdSchema,
    /** As committed: a full sha or a unique prefix resolved during validation. */
    revision: text().regex(/^[0-9a-f]{7,40}$/),
  }),
});

export const SubmissionAccepted = defineEvent({
  type: 'SubmissionAccepted',
  aggregate: 'submission',
  aggregateKey: bySubmission,
  description: 'Validation passed; jobs follow, one per benchmark.',
  schema: z.object({
    ...origin,
    competitionId: competitionIdSchema,
    repo: repoIdSchema,
    revision: revisionSchema,
    repoBytes: nonNegativeInt,
  }),
});

export const SubmissionRejected = defineEvent({
  type: 'SubmissionRejected',
  aggregate: 'submission',
  aggregateKey: bySubmission,
  description: 'Validation failed for a reason the miner can act on.',
  schema: z.object({
    ...origin,
    competitionId: text().nullable(),
    reason: submissionRejectionReasonSchema,
    detail: text().max(REJECTION_DETAIL_MAX_CHARS),
  }),
});

export const submissionEvents = [SubmissionReceived, SubmissionAccepted, SubmissionRejected] as const;
