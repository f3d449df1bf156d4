import type { CompetitionSettings } from '#contracts';

export type CompetitionState =
  { status: 'absent' } | { status: 'active' | 'inactive'; competitionId: string; settings: CompetitionSettings; createdBy: string };

export type ExistingCompetition = Exclude<CompetitionState, { status: 'absent' }>;
