import { deriveId } from '#contracts';

/**
 * A submission is one hotkey's commitment at one block: (netuid, hotkey, block, raw bytes as committed). The raw
 * bytes name the competition, repo and revision as committed, and stand in for them when the commitment does not
 * decode. The same chain fact observed twice gives the same id; committing the same thing again at another block
 * is another submission, which validation rejects as a duplicate once one of them is accepted.
 */
export const submissionIdFor = (netuid: number, hotkey: string, block: number, raw: string): string =>
  deriveId('submission', String(netuid), hotkey, String(block), raw);

/** The job of one benchmark of an accepted submission. */
export const jobIdFor = (submissionId: string, benchmark: string): string => deriveId('job', submissionId, benchmark);

/** The job a rerun request creates for one job it reruns. */
export const rerunJobIdFor = (requestId: string, rerunOf: string): string => deriveId('rerun', requestId, rerunOf);
