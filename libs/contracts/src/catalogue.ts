import type { z } from 'zod';
import type { EventDefinition } from './define.js';
import { chainEvents } from './events/chain.js';
import { competitionEvents } from './events/competition.js';
import { evaluationEvents } from './events/evaluation.js';
import { jobEvents } from './events/job.js';
import { requestEvents } from './events/request.js';
import { scoringEvents } from './events/scoring.js';
import { submissionEvents } from './events/submission.js';

/** Every event type of the system. Adding one here is all it takes for the store, codec and golden log to know it. */
export const eventCatalogue = [
  ...competitionEvents,
  ...chainEvents,
  ...submissionEvents,
  ...jobEvents,
  ...requestEvents,
  ...evaluationEvents,
  ...scoringEvents,
] as const;

type Definition = (typeof eventCatalogue)[number];
export type EventType = Definition['type'];
export type AggregateType = Definition['aggregate'];
type DefinitionOf<T extends EventType> = Extract<Definition, { type: T }>;
/** The payload as stored and read (defaults applied). */
export type EventData<T extends EventType> = z.output<DefinitionOf<T>['schema']>;
/** The payload as a producer may write it (defaulted fields optional). */
export type EventDataInput<T extends EventType> = z.input<DefinitionOf<T>['schema']>;
export type AggregateOf<T extends EventType> = DefinitionOf<T>['aggregate'];

const byType = new Map<string, EventDefinition>(eventCatalogue.map((d) => [d.type, d]));
if (byType.size !== eventCatalogue.length) throw new Error('event catalogue has a duplicate type');

export const eventDefinition = (type: string): EventDefinition | undefined => byType.get(type);
export const eventTypes = (): EventType[] => eventCatalogue.map((d) => d.type);
export const aggregateOf = <T extends EventType>(type: T): AggregateOf<T> => byType.get(type)!.aggregate as AggregateOf<T>;
