import type { LoggerService } from '@nestjs/common';
import { SCHEDULER_STATE_VERSION, schedulerStateFromJson, schedulerStateToJson, type SchedulerState, type SchedulerStateJson } from '#domain';
import type { Clock, EventReader, SnapshotStore } from '#eventing';

export interface SnapshotPolicy {
  /** Write after this many events handled since the last snapshot... */
  everyEvents: number;
  /** ...or after this long, whichever comes first (only when something was handled). */
  everyMs: number;
}

/** The last stream position folded into the state: where a restored snapshot resumes. */
export interface FoldedPosition {
  sequence: number;
  eventId: string;
}

/**
 * The scheduler's state snapshots: restored at start-up (so only the log's tail is folded) and written every N events
 * or T seconds. A snapshot is only an accelerator: one of another state version or subnet, one past the end of the
 * stream or whose event at its sequence is not the one it recorded (a recreated stream), or one that cannot be read,
 * is ignored with a warning and the whole log folded instead.
 */
export class SchedulerSnapshots {
  private handled = 0;
  private lastWrite: number;
  /** The write in flight: the state is serialised at once, the KV puts finish in the background. */
  private writing?: Promise<void>;

  constructor(
    private readonly store: SnapshotStore,
    private readonly key: string,
    private readonly policy: SnapshotPolicy,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
  ) {
    this.lastWrite = clock.now().getTime();
  }

  async restore(netuid: number, reader: EventReader, end: number): Promise<{ state: SchedulerState; position: FoldedPosition } | undefined> {
    let snapshot;
    try {
      snapshot = await this.store.load(this.key);
    } catch (error) {
      this.logger.warn?.(`ignoring snapshot ${this.key}, folding the whole log: ${(error as Error).message}`);
      return undefined;
    }
    if (!snapshot) return undefined;
    const ignore = (why: string) => void this.logger.warn?.(`ignoring snapshot ${this.key} at #${snapshot.sequence}, folding the whole log: ${why}`);
    if (snapshot.stateVersion !== SCHEDULER_STATE_VERSION)
      return ignore(`state version ${snapshot.stateVersion}, this scheduler folds version ${SCHEDULER_STATE_VERSION}`);
    if (snapshot.sequence > end) return ignore(`the stream ends at #${end}`);
    if ((await this.eventIdAt(reader, snapshot.sequence)) !== snapshot.eventId)
      return ignore(`the event at #${snapshot.sequence} is not ${snapshot.eventId} (the stream was recreated?)`);
    const state = schedulerStateFromJson(snapshot.state as SchedulerStateJson);
    if (state.netuid !== netuid) return ignore(`it is of subnet ${state.netuid}`);
    return { state, position: { sequence: snapshot.sequence, eventId: snapshot.eventId } };
  }

  /**
   * Counts `events` handled; starts a snapshot when the policy says so (or `force`) and none is being written. The
   * state is serialised before this returns, the write finishes in the background (`flush` waits for it), so event
   * handling waits only for the serialisation. A failed write is only logged: the next one retries.
   */
  after(events: number, state: SchedulerState, position: FoldedPosition | undefined, force = false): void {
    this.handled += events;
    if (!position || this.handled === 0 || this.writing) return;
    const now = this.clock.now().getTime();
    if (!force && this.handled < this.policy.everyEvents && now - this.lastWrite < this.policy.everyMs) return;
    this.handled = 0;
    this.lastWrite = now;
    this.writing = this.store
      .save(this.key, { stateVersion: SCHEDULER_STATE_VERSION, sequence: position.sequence, eventId: position.eventId, state: schedulerStateToJson(state) })
      .catch(
        (error: unknown) => void this.logger.warn?.(`could not write snapshot ${this.key} at #${position.sequence}, will retry: ${(error as Error).message}`),
      )
      .finally(() => (this.writing = undefined));
  }

  /** Waits for the snapshot being written, if any. */
  async flush(): Promise<void> {
    await this.writing;
  }

  private async eventIdAt(reader: EventReader, sequence: number): Promise<string | undefined> {
    for await (const item of reader.read({ fromSequence: sequence, toSequence: sequence })) return item.ok ? item.event.eventId : undefined;
    return undefined;
  }
}
