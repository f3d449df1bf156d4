import { isValidatorSignedType, type EventData, type RecordedEvent } from '#contracts';
import type { JudgeView } from '#domain';
import type { Fold } from './fold.js';
import type { LoadPlan } from './load-plan.js';

/** The rows the judge reads for a validator-side event: its validator's permit, its job's plan, the validator's claim. */
export const planJudgeLoads = (events: readonly RecordedEvent[], plan: LoadPlan): void => {
  for (const event of events) {
    if (!isValidatorSignedType(event.type)) continue;
    const data = event.data as { validator: string; jobId?: string };
    plan.add('validators', 'hotkey', data.validator);
    if (data.jobId === undefined) continue;
    plan.add('jobs', 'id', data.jobId);
    plan.add('job_status', 'job_id', data.jobId);
  }
};

/**
 * What the judge asks, answered from the rows as folded up to the event: the validators row holds the latest
 * snapshot that listed the hotkey (a snapshot that no longer lists it clears its permit), the jobs row the frozen
 * benchmark, the (job, validator) status row the evaluation the validator claimed.
 */
export const foldJudgeView = (fold: Fold): JudgeView => ({
  benchmark: (jobId) => fold.get('jobs', jobId)?.benchmark as EventData<'JobCreated'>['benchmark'] | undefined,
  hasPermit: (validator) => fold.get('validators', validator)?.validator_permit === true,
  claimed: (evaluationId, jobId, validator) => fold.get('job_status', `${jobId}|${validator}`)?.evaluation_id === evaluationId,
});
