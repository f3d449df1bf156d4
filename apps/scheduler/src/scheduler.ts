import type { LoggerService } from '@nestjs/common';
import type { RecordedEvent, RecordedEventOf } from '#contracts';
import {
  dueTimeouts,
  evolveScheduler,
  foldScheduler,
  initialSchedulerState,
  judgeSubmission,
  nextDeadline,
  onCancellationRequested,
  onCommitment,
  onRerunRequested,
  onSubmissionAccepted,
  positionOf,
  schedulerInputs,
  type Decision,
  type JobPlan,
  type SchedulerState,
} from '#domain';
import { ConcurrencyError, RetryableError, type Clock, type EventReader, type EventStore } from '#eventing';
import type { HubInspector } from './hub-inspector.js';
import type { FoldedPosition, SchedulerSnapshots } from './scheduler-snapshots.js';
import type { UnfoldedEvents } from './unfolded-events.js';

/** What start-up folded: the stream's end, the snapshot it resumed from (null: none usable), how many events it decoded and folded. */
export interface CatchUp {
  end: number;
  snapshotAt: number | null;
  folded: number;
}

/**
 * The scheduler's process manager at the edge: it folds every input event into the pure state, reacts with the
 * pure decisions, and appends them. One event (or tick) at a time, so state, decisions and appends never interleave.
 * It is the only writer of submission and job aggregates: createScheduler holds a lease so that only one instance acts.
 */
export class Scheduler {
  private state: SchedulerState;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last input event folded in stream order (catch-up, then the consumer): what a snapshot covers. */
  private position?: FoldedPosition;

  constructor(
    netuid: number,
    private readonly store: EventStore,
    private readonly reader: EventReader,
    private readonly hub: HubInspector,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
    private readonly unfolded: UnfoldedEvents,
    private readonly snapshots?: SchedulerSnapshots,
  ) {
    this.state = initialSchedulerState(netuid);
  }

  /**
   * Folds the log up to its current end before the live consumer starts: the durable consumer resumes from its
   * ack floor, but the knowledge (competitions, metagraph, accepted submissions, open jobs) spans all of history.
   * From the latest valid snapshot when there is one, so only the tail is folded; only the input types are decoded
   * (the others are skipped by their type header). Events the consumer redelivers afterwards fold to no change. An
   * event that cannot be folded is only logged here: the consumer records it when it delivers it (or did, before this start).
   */
  async catchUp(): Promise<CatchUp> {
    const end = await this.reader.lastSequence();
    const restored = end === 0 ? undefined : await this.snapshots?.restore(this.state.netuid, this.reader, end);
    if (restored) {
      this.state = restored.state;
      this.position = restored.position;
    }
    const from = (restored?.position.sequence ?? 0) + 1;
    let folded = 0;
    if (from <= end) {
      for await (const item of this.reader.read({ fromSequence: from, toSequence: end, types: schedulerInputs })) {
        if (!item.ok) {
          this.logger.warn?.(`skipping poison message #${item.streamSequence} while catching up: ${item.error.message}`);
          continue;
        }
        folded++;
        const unfolded = foldScheduler(this.state, item.event);
        this.position = { sequence: item.event.streamSequence, eventId: item.event.eventId };
        if (unfolded !== undefined) this.logger.warn?.(`skipping #${item.event.streamSequence} (${item.event.type}) while catching up: ${unfolded}`);
      }
    }
    this.snapshots?.after(folded, this.state, this.position, folded > 0);
    return { end, snapshotAt: restored?.position.sequence ?? null, folded };
  }

  /** Nest calls it before the NATS connection closes: a snapshot being written is finished, not cut. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue;
    await this.snapshots?.flush();
  }

  /**
   * One event from the durable consumer. Throwing naks it (with backoff); the fold is kept either way. An event that
   * cannot be folded is recorded with the reason (a dead letter) and not reacted to: the consumer goes on.
   */
  handle(event: RecordedEvent): Promise<void> {
    return this.serially(async () => {
      try {
        const unfolded = foldScheduler(this.state, event);
        // First deliveries come in stream order; a redelivery (lower sequence) was folded when first delivered.
        if (!this.position || event.streamSequence > this.position.sequence) this.position = { sequence: event.streamSequence, eventId: event.eventId };
        if (unfolded === undefined) await this.react(event);
        else {
          this.logger.warn?.(`cannot fold #${event.streamSequence} (${event.type} ${event.eventId}): ${unfolded}; recorded as a dead letter`);
          await this.unfolded.record(event, unfolded);
        }
        if (this.state.clock) await this.append(dueTimeouts(this.state, this.state.clock));
      } finally {
        // After the reaction, failed or not: the fold is kept either way, and a redelivery reacts again.
        this.snapshots?.after(1, this.state, this.position);
      }
    });
  }

  /**
   * For a quiet log: when no event has moved the log's clock past a deadline that someone is still late for,
   * decide timeouts at the scheduler's own clock. JobTimedOut records the deadline it enforces, so a replay reads
   * the decision instead of making it again.
   */
  tick(): Promise<void> {
    return this.serially(async () => {
      const due = nextDeadline(this.state);
      const now = this.clock.now();
      if (due === null || Date.parse(due) > now.getTime()) return;
      await this.append(dueTimeouts(this.state, now.toISOString()));
    });
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async react(event: RecordedEvent): Promise<void> {
    switch (event.type) {
      case 'CommitmentObserved':
        return this.onCommitment(event);
      case 'SubmissionAccepted':
        return this.append(onSubmissionAccepted(this.state, event));
      case 'RerunRequested':
        return this.carryOut(event, onRerunRequested(this.state, event));
      case 'JobCancellationRequested':
        return this.carryOut(event, onCancellationRequested(this.state, event));
      default:
        return undefined;
    }
  }

  private async onCommitment(event: RecordedEventOf<'CommitmentObserved'>): Promise<void> {
    const plan = onCommitment(this.state, event);
    if (plan.kind === 'ignore') return;
    await this.append(plan.decisions);
    if (plan.kind === 'wait') throw new RetryableError(`commitment ${event.eventId} waits: ${plan.reason}`);
    if (plan.kind === 'inspect') await this.append(judgeSubmission(this.state, event, await this.hub.inspect(plan.inspection)));
  }

  private async carryOut(event: RecordedEvent, plan: JobPlan): Promise<void> {
    for (const reason of plan.skipped) this.logger.warn?.(`${event.type} ${event.eventId}: ${reason}`);
    await this.append(plan.decisions);
  }

  /** Appends each decision at the aggregate's position as folded so far, and folds what was stored. */
  private async append(decisions: Decision[]): Promise<void> {
    for (const d of decisions) {
      const expected = positionOf(this.state, d.aggregate, d.aggregateId);
      try {
        const stored = await this.store.append(d.aggregate, d.aggregateId, d.events, { expected, causationId: d.causationId, correlationId: d.correlationId });
        for (const event of stored) evolveScheduler(this.state, event);
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        // Only the scheduler writes these aggregates: the log is ahead of the fold (e.g. a previous run's append).
        // Fold the aggregate as stored and let the redelivery decide again from there.
        for (const event of (await this.store.load(d.aggregate, d.aggregateId)).events) evolveScheduler(this.state, event);
        throw new RetryableError(`${d.aggregate} ${d.aggregateId} was ahead of the scheduler's knowledge; decided again on redelivery`, { cause: error });
      }
    }
  }
}
