import type { AggregateType, EventType, RecordedEvent, RecordedEventOf } from '#contracts';
import type { Decider } from '#domain';
import { ConcurrencyError } from './errors.js';
import type { EventStore } from './ports.js';

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
}

/** Runs `fn` again while it fails with ConcurrencyError, at most `attempts` times; any other error passes through. */
export const withConcurrencyRetry = async <T>(fn: (attempt: number) => Promise<T>, { attempts }: RetryOptions): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt >= attempts) throw err;
    }
  }
};

export interface CommandOptions {
  correlationId?: string;
  causationId?: string | null;
  /** Defaults to 3: a conflict means someone else decided in between, so deciding again is usually enough. */
  attempts?: number;
}

export interface CommandResult<State> {
  /** The events the command appended (empty when the decider had nothing to say). */
  events: RecordedEvent[];
  /** The state after those events. */
  state: State;
}

/** load → fold → decide → append at the loaded position; on a conflict, all over again from a fresh load. */
export const handleCommand = async <Command, State, E extends EventType>(
  store: EventStore,
  decider: Decider<Command, State, E>,
  aggregateId: string,
  command: Command,
  { correlationId, causationId, attempts = 3 }: CommandOptions = {},
): Promise<CommandResult<State>> =>
  withConcurrencyRetry(
    async () => {
      const aggregate = decider.aggregate as AggregateType;
      const loaded = await store.load(aggregate, aggregateId);
      const fold = (state: State, events: RecordedEvent[]) => events.reduce((s, e) => decider.evolve(s, e as RecordedEventOf<E>), state);
      const state = fold(decider.initialState(), loaded.events);
      const decided = decider.decide(command, state);
      if (decided.length === 0) return { events: [], state };
      const events = await store.append(aggregate, aggregateId, decided, {
        expected: { version: loaded.version, lastSequence: loaded.lastSequence },
        ...(correlationId === undefined ? {} : { correlationId }),
        ...(causationId === undefined ? {} : { causationId }),
      });
      return { events, state: fold(state, events) };
    },
    { attempts },
  );
