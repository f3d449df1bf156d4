import type { EventDataInput } from '#contracts';

/** Settings as an operator writes them: defaulted fields may be left out. */
export type CompetitionSettingsInput = Omit<EventDataInput<'CompetitionCreated'>, 'competitionId' | 'createdBy'>;

export interface CreateCompetition {
  type: 'CreateCompetition';
  competitionId: string;
  settings: CompetitionSettingsInput;
  by: string;
}

export interface UpdateCompetition {
  type: 'UpdateCompetition';
  /** Only the fields to change. Fields equal to the current value are dropped; nothing left is refused. */
  changes: Partial<CompetitionSettingsInput>;
  by: string;
}

export interface ActivateCompetition {
  type: 'ActivateCompetition';
  by: string;
}

export interface DeactivateCompetition {
  type: 'DeactivateCompetition';
  reason: string;
  by: string;
}

export type CompetitionCommand = CreateCompetition | UpdateCompetition | ActivateCompetition | DeactivateCompetition;
