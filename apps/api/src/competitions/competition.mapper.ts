import type { CompetitionEntity } from '#read-models';
import type { CompetitionDto } from './competition.dto.js';

/** The competition as served: every field named, so a column added to the table is not served until chosen here. */
export const toCompetitionDto = (c: CompetitionEntity): CompetitionDto => ({
  id: c.id,
  name: c.name,
  description: c.description,
  benchmarks: c.benchmarks,
  weightShare: c.weightShare,
  maxRepoBytes: c.maxRepoBytes,
  submissionRateLimit: c.submissionRateLimit,
  winMargin: c.winMargin,
  minValidators: c.minValidators,
  startsAt: c.startsAt,
  endsAt: c.endsAt,
  active: c.active,
  createdBy: c.createdBy,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  version: c.version,
  lastSequence: c.lastSequence,
});
