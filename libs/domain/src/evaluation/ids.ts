import { deriveId } from '#contracts';

/** One evaluation per (job, validator): its id is derived, so a second claim lands on the same aggregate. */
export const evaluationIdFor = (jobId: string, validator: string): string => deriveId('evaluation', jobId, validator);

/** One episode per (evaluation, slot), slot being the task-major position in the job's seeds: re-planning lands on the same id. */
export const episodeIdFor = (evaluationId: string, slot: number): string => deriveId('episode', evaluationId, String(slot));
