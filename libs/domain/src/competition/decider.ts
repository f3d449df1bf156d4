import { canonicalJson, competitionIdSchema, competitionSettingsSchema, newEvent, type CompetitionSettings, type NewEvent } from '#contracts';
import { keepingState, unapplied, type Decider, type Explaining, type RecordedOneOf, type Unapplied } from '../decider.js';
import { DomainError } from '../errors.js';
import { invalidInput, parseOrInvalid } from '../validation.js';
import type { CompetitionCommand, UpdateCompetition } from './commands.js';
import type { CompetitionState, ExistingCompetition } from './state.js';

type CompetitionEventType = 'CompetitionCreated' | 'CompetitionUpdated' | 'CompetitionActivated' | 'CompetitionDeactivated';

const settingsShape = competitionSettingsSchema.shape;
type SettingKey = keyof typeof settingsShape;
const isSettingKey = (key: string): key is SettingKey => Object.hasOwn(settingsShape, key);

/** A rule the schema cannot express on its own: a competition cannot end before it starts. */
const checkWindow = (settings: CompetitionSettings, prefix: string): CompetitionSettings => {
  if (settings.startsAt && settings.endsAt && Date.parse(settings.endsAt) <= Date.parse(settings.startsAt)) {
    throw invalidInput('competition settings', prefix, [{ path: ['endsAt'], message: 'must be after startsAt' }]);
  }
  return settings;
};

const validSettings = (settings: unknown): CompetitionSettings =>
  checkWindow(parseOrInvalid(competitionSettingsSchema.strict(), settings, 'competition settings', 'settings'), 'settings');

/** Validates each changed field with its own schema (no defaults filled in) and keeps only real changes. */
const effectiveChanges = (changes: UpdateCompetition['changes'], current: CompetitionSettings): Partial<CompetitionSettings> => {
  const issues: { path: PropertyKey[]; message: string }[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (!isSettingKey(key)) {
      issues.push({ path: [key], message: 'is not a competition setting' });
      continue;
    }
    const result = settingsShape[key].safeParse(value);
    if (result.success) parsed[key] = result.data;
    else issues.push(...result.error.issues.map((i) => ({ path: [key, ...i.path], message: i.message })));
  }
  if (issues.length > 0) throw invalidInput('competition changes', 'changes', issues);
  checkWindow({ ...current, ...parsed }, 'changes');
  const changed = Object.fromEntries(Object.entries(parsed).filter(([key, value]) => canonicalJson(value) !== canonicalJson(current[key as SettingKey])));
  if (Object.keys(changed).length === 0) throw new DomainError('invalid', 'the update changes nothing', { field: 'changes' });
  return changed;
};

const existing = (state: CompetitionState): ExistingCompetition => {
  if (state.status === 'absent') throw new DomainError('not_found', 'competition not found');
  return state;
};

function apply(state: CompetitionState, event: RecordedOneOf<CompetitionEventType>): CompetitionState | Unapplied {
  if (event.type === 'CompetitionCreated') {
    if (state.status !== 'absent') return unapplied(`CompetitionCreated for competition ${state.competitionId}, which exists`);
    const { competitionId, createdBy, ...settings } = event.data;
    return { status: 'inactive', competitionId, createdBy, settings };
  }
  if (state.status === 'absent') return unapplied(`${event.type} for a competition that was never created`);
  switch (event.type) {
    case 'CompetitionUpdated':
      return { ...state, settings: { ...state.settings, ...event.data.changes } };
    case 'CompetitionActivated':
      return { ...state, status: 'active' };
    case 'CompetitionDeactivated':
      return { ...state, status: 'inactive' };
    default:
      return unapplied(`${(event as { type: string }).type} is not a competition event`);
  }
}

/**
 * Competitions are created inactive. Activating an active competition or deactivating an inactive one is an
 * idempotent no-op (no event): an operator retrying a request gets the state they asked for, not an error.
 */
export const competitionDecider: Decider<CompetitionCommand, CompetitionState, CompetitionEventType> & Explaining<CompetitionState, CompetitionEventType> = {
  aggregate: 'competition',
  initialState: () => ({ status: 'absent' }),

  decide(command, state): NewEvent[] {
    switch (command.type) {
      case 'CreateCompetition': {
        if (state.status !== 'absent') {
          throw new DomainError('conflict', `competition ${state.competitionId} already exists`, { competitionId: state.competitionId });
        }
        const competitionId = parseOrInvalid(competitionIdSchema, command.competitionId, 'competition id', 'competitionId');
        return [newEvent('CompetitionCreated', { ...validSettings(command.settings), competitionId, createdBy: command.by })];
      }
      case 'UpdateCompetition': {
        const current = existing(state);
        const changes = effectiveChanges(command.changes, current.settings);
        return [newEvent('CompetitionUpdated', { competitionId: current.competitionId, changes, updatedBy: command.by })];
      }
      case 'ActivateCompetition': {
        const current = existing(state);
        if (current.status === 'active') return [];
        return [newEvent('CompetitionActivated', { competitionId: current.competitionId, activatedBy: command.by })];
      }
      case 'DeactivateCompetition': {
        const current = existing(state);
        if (current.status === 'inactive') return [];
        return [
          newEvent('CompetitionDeactivated', {
            competitionId: current.competitionId,
            deactivatedBy: command.by,
            reason: command.reason,
          }),
        ];
      }
    }
  },

  apply,
  evolve: keepingState(apply),
};
