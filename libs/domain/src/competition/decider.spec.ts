import { describe, expect, it } from '@jest/globals';
import { newEvent } from '#contracts';
import { benchmark } from '../testing/fixtures.js';
import { given } from '../testing/given-when-then.js';
import { competitionDecider as decider } from './decider.js';
import type { CompetitionSettingsInput } from './commands.js';

const settings: CompetitionSettingsInput = {
  name: 'MetaWorld MT10',
  benchmarks: [benchmark()],
  weightShare: 0.5,
  maxRepoBytes: 1_000_000,
  submissionRateLimit: { count: 1, perSeconds: 86_400 },
};
const created = newEvent('CompetitionCreated', { ...settings, competitionId: 'mt10', createdBy: 'alice' });
const activated = newEvent('CompetitionActivated', { competitionId: 'mt10', activatedBy: 'alice' });
const create = { type: 'CreateCompetition' as const, competitionId: 'mt10', settings, by: 'alice' };

describe('competition decider', () => {
  describe('CreateCompetition', () => {
    it('creates a new competition with defaults filled in', () => {
      const [event] = given(decider).when(create);
      expect(event).toEqual({
        type: 'CompetitionCreated',
        data: expect.objectContaining({ competitionId: 'mt10', name: 'MetaWorld MT10', createdBy: 'alice', winMargin: 0.05, minValidators: 1 }),
      });
    });

    it('starts inactive', () => {
      expect(given(decider, [created]).state()).toMatchObject({ status: 'inactive', competitionId: 'mt10' });
    });

    it('refuses to create a competition that exists', () => {
      expect(given(decider, [created]).refuses(create)).toMatchObject({ code: 'conflict' });
    });

    it('refuses invalid settings, naming the field', () => {
      const error = given(decider).refuses({ ...create, settings: { ...settings, weightShare: 2 } });
      expect(error.code).toBe('invalid');
      expect(error.details['issues']).toEqual([expect.objectContaining({ path: 'settings.weightShare' })]);
      expect(error.message).toContain('settings.weightShare');
    });

    it('refuses a setting the contract does not know', () => {
      const error = given(decider).refuses({ ...create, settings: { ...settings, colour: 'red' } as CompetitionSettingsInput });
      expect(error.code).toBe('invalid');
      expect(error.message).toContain('colour');
    });

    it('refuses a competition that ends before it starts', () => {
      const window = { startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' };
      expect(given(decider).refuses({ ...create, settings: { ...settings, ...window } }).message).toContain('settings.endsAt');
    });

    it('refuses an id that is not a slug', () => {
      expect(given(decider).refuses({ ...create, competitionId: 'Not A Slug' }).message).toContain('competitionId');
    });
  });

  describe('UpdateCompetition', () => {
    it('records only the fields that change', () => {
      const events = given(decider, [created]).when({
        type: 'UpdateCompetition',
        changes: { name: 'MT10 v2', weightShare: 0.5 },
        by: 'bob',
      });
      expect(events).toEqual([{ type: 'CompetitionUpdated', data: { competitionId: 'mt10', changes: { name: 'MT10 v2' }, updatedBy: 'bob' } }]);
    });

    it('refuses an update that changes nothing', () => {
      const error = given(decider, [created]).refuses({ type: 'UpdateCompetition', changes: { weightShare: 0.5 }, by: 'bob' });
      expect(error).toMatchObject({ code: 'invalid', message: 'the update changes nothing' });
    });

    it('compares nested settings by value, not by key order', () => {
      const reordered = settings.benchmarks.map((b) => Object.fromEntries(Object.entries(b).reverse()) as typeof b);
      const error = given(decider, [created]).refuses({ type: 'UpdateCompetition', changes: { benchmarks: reordered }, by: 'bob' });
      expect(error.message).toBe('the update changes nothing');
    });

    it('refuses an empty update', () => {
      expect(given(decider, [created]).refuses({ type: 'UpdateCompetition', changes: {}, by: 'bob' }).code).toBe('invalid');
    });

    it('refuses an invalid change, naming the field', () => {
      const error = given(decider, [created]).refuses({ type: 'UpdateCompetition', changes: { maxRepoBytes: -1 }, by: 'bob' });
      expect(error.code).toBe('invalid');
      expect(error.details['issues']).toEqual([expect.objectContaining({ path: 'changes.maxRepoBytes' })]);
    });

    it('refuses a change that would end the competition before it starts', () => {
      const withStart = newEvent('CompetitionUpdated', {
        competitionId: 'mt10',
        changes: { startsAt: '2026-02-01T00:00:00Z' },
        updatedBy: 'bob',
      });
      const error = given(decider, [created, withStart]).refuses({
        type: 'UpdateCompetition',
        changes: { endsAt: '2026-01-01T00:00:00Z' },
        by: 'bob',
      });
      expect(error.message).toContain('changes.endsAt');
    });

    it('refuses to update a competition that does not exist', () => {
      expect(given(decider).refuses({ type: 'UpdateCompetition', changes: { name: 'x' }, by: 'bob' }).code).toBe('not_found');
    });

    it('folds the change into the settings', () => {
      const updated = newEvent('CompetitionUpdated', { competitionId: 'mt10', changes: { weightShare: 0.25 }, updatedBy: 'bob' });
      expect(given(decider, [created, updated]).state()).toMatchObject({ settings: { weightShare: 0.25, name: 'MetaWorld MT10' } });
    });
  });

  describe('ActivateCompetition / DeactivateCompetition', () => {
    it('activates an inactive competition', () => {
      expect(given(decider, [created]).when({ type: 'ActivateCompetition', by: 'alice' })).toEqual([activated]);
    });

    it('treats activating an active competition as a no-op', () => {
      expect(given(decider, [created, activated]).when({ type: 'ActivateCompetition', by: 'alice' })).toEqual([]);
    });

    it('deactivates an active competition with the reason', () => {
      expect(given(decider, [created, activated]).when({ type: 'DeactivateCompetition', reason: 'season over', by: 'bob' })).toEqual([
        newEvent('CompetitionDeactivated', { competitionId: 'mt10', deactivatedBy: 'bob', reason: 'season over' }),
      ]);
    });

    it('treats deactivating an inactive competition as a no-op', () => {
      expect(given(decider, [created]).when({ type: 'DeactivateCompetition', reason: '', by: 'bob' })).toEqual([]);
    });

    it('refuses to activate or deactivate a competition that does not exist', () => {
      expect(given(decider).refuses({ type: 'ActivateCompetition', by: 'alice' }).code).toBe('not_found');
      expect(given(decider).refuses({ type: 'DeactivateCompetition', reason: '', by: 'alice' }).code).toBe('not_found');
    });

    it('is active after activation and inactive after deactivation', () => {
      const deactivated = newEvent('CompetitionDeactivated', { competitionId: 'mt10', deactivatedBy: 'bob' });
      expect(given(decider, [created, activated]).state().status).toBe('active');
      expect(given(decider, [created, activated, deactivated]).state().status).toBe('inactive');
    });
  });
});
