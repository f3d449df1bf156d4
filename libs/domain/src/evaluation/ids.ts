import { deriveId } from '#contracts';

/** One evaluation per (job, validator): its id is derived, so a second claim lands on the same aggregate. */
export const evaluationIdFor = (jobId: string, validator: string): string => deriveId('evaluation', jobId, validator);
