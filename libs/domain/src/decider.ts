import type { EventType, NewEvent, RecordedEvent, RecordedEventOf } from '#contracts';

/**
 * A pure aggregate: `decide` turns a command and the current state into new facts (or throws a DomainError),
 * `evolve` folds a recorded fact into state. No I/O, no clock: time arrives inside commands.
 */
export interface Decider<Command, State, E extends EventType = EventType> {
  readonly aggregate: string;
  initialState(): State;
  decide(command: Command, state: State): NewEvent[];
  evolve(state: State, event: RecordedEventOf<E>): State;
}

/** A recorded event of one of the types `E`, narrowed by `type` (unlike `RecordedEventOf<E>`, which does not distribute). */
export type RecordedOneOf<E extends EventType> = Extract<RecordedEvent, { type: E }>;
