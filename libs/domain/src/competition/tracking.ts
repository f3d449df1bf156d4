import type { RecordedOneOf } from '../decider.js';
import { isUnapplied } from '../decider.js';
import type { Tracked } from '../scheduler/state.js';
import { competitionDecider } from './decider.js';
import type { CompetitionState } from './state.js';

export type CompetitionEvent = RecordedOneOf<'CompetitionCreated' | 'CompetitionUpdated' | 'CompetitionActivated' | 'CompetitionDeactivated'>;

/**
 * Folds a competition event into the competitions a process manager tracks by id, with the competition's own rules.
 * An event at or below the competition's last folded sequence was folded already (redelivery, catch-up overlap).
 * Returns why the event could not be folded (the competition is left as it was), or undefined.
 */
export const trackCompetition = (competitions: Map<string, Tracked<CompetitionState>>, event: CompetitionEvent): string | undefined => {
  const tracked = competitions.get(event.data.competitionId);
  if (tracked && event.streamSequence <= tracked.position.lastSequence) return undefined;
  const next = competitionDecider.apply(tracked?.state ?? competitionDecider.initialState(), event);
  if (isUnapplied(next)) return next.unapplied;
  competitions.set(event.data.competitionId, { state: next, position: { version: event.aggregateVersion, lastSequence: event.streamSequence } });
  return undefined;
};
