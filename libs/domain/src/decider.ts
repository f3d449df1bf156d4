import type { EventType, NewEvent, RecordedEvent, RecordedEventOf } from '#contracts';

/**
 * Why a recorded event cannot be folded into the state it meets: the log holds something the rules would not have
 * decided (an event another writer appended, events out of order). The log is the truth and cannot be refused, so
 * a fold keeps the state and hands the reason to whoever can record it.
 */
export interface Unapplied {
  readonly unapplied: string;
}

export const unapplied = (reason: string): Unapplied => ({ unapplied: reason });

export const isUnapplied = (value: unknown): value is Unapplied => typeof value === 'object' && value !== null && 'unapplied' in value;

/**
 * A pure aggregate: `decide` turns a command and the current state into new facts (or throws a DomainError),
 * `evolve` folds a recorded fact into state and never throws (an event it cannot fold leaves the state as it was).
 * No I/O, no clock: time arrives inside commands.
 */
export interface Decider<Command, State, E extends EventType = EventType> {
  readonly aggregate: string;
  initialState(): State;
  decide(command: Command, state: State): NewEvent[];
  evolve(state: State, event: RecordedEventOf<E>): State;
}

/** A decider that also says why an event cannot be folded, for process managers that record it. Never throws. */
export interface Explaining<State, E extends EventType = EventType> {
  apply(state: State, event: RecordedEventOf<E>): State | Unapplied;
}

/** The total `evolve` of an `apply`: an event that cannot be folded leaves the state as it was. */
export const keepingState =
  <State, Event>(apply: (state: State, event: Event) => State | Unapplied) =>
  (state: State, event: Event): State => {
    const next = apply(state, event);
    return isUnapplied(next) ? state : next;
  };

/** A recorded event of one of the types `E`, narrowed by `type` (unlike `RecordedEventOf<E>`, which does not distribute). */
export type RecordedOneOf<E extends EventType> = Extract<RecordedEvent, { type: E }>;
