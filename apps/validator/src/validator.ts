import type { LoggerService } from '@nestjs/common';
import type { EpisodeWorkItem, RecordedEvent } from '#contracts';
import {
  decideValidator,
  evaluationPosition,
  foldValidator,
  initialValidatorState,
  replan,
  type EvaluationDecision,
  type ValidatorFold,
  type ValidatorState,
} from '#domain';
import { ConcurrencyError, RetryableError, type EventReader, type EventStore } from '#eventing';
import type { WorkQueue } from './work-queue.js';

/** Rounds of deciding after one event: outcomes free capacity only once folded, so claims follow in the next round. */
const MAX_ROUNDS = 10;

type Effect = { kind: 'publish'; items: EpisodeWorkItem[] } | { kind: 'withdraw'; evaluationId: string };

/**
 * The validator's process manager at the edge: it folds every input event into the pure state, appends what the
 * pure rules decide for its evaluations at their folded position, and carries out what the folds ask of the work
 * stream. One event at a time, so state, decisions and appends never interleave. It is the only writer of its own
 * evaluations (one process per hotkey).
 */
export class Validator {
  private readonly state: ValidatorState;
  private queue: Promise<unknown> = Promise.resolve();
  /** Work-stream effects not carried out yet: a failed publish or purge is retried with the next event, not forgotten. */
  private pending: Effect[] = [];

  constructor(
    /** This validator's ss58 address. */
    readonly address: string,
    maxEvaluations: number,
    private readonly store: EventStore,
    private readonly reader: EventReader,
    private readonly work: WorkQueue,
    private readonly logger: LoggerService,
  ) {
    this.state = initialValidatorState(address, maxEvaluations);
  }

  /**
   * Folds the whole log up to its current end before the live consumer starts (the consumer resumes from its ack
   * floor, but the evaluations span all of history), then puts the work stream right: what open evaluations still
   * need and the stream lost (or never got: a crash between the claim and its publish) is planned again, and what
   * ended evaluations left there is withdrawn. Then it decides what the state calls for (claims that waited for
   * capacity, outcomes a crash kept from being appended).
   */
  async catchUp(): Promise<number> {
    const end = await this.reader.lastSequence();
    if (end > 0) {
      for await (const item of this.reader.read({ fromSequence: 1, toSequence: end })) {
        if (!item.ok) {
          this.logger.warn?.(`skipping poison message #${item.streamSequence} while catching up: ${item.error.message}`);
          continue;
        }
        const folded = foldValidator(this.state, item.event);
        if (folded.unfolded !== undefined) this.logger.debug?.(`not folding #${item.event.streamSequence} (${item.event.type}): ${folded.unfolded}`);
      }
    }
    return this.serially(async () => {
      const { publish, withdraw } = replan(this.state, await this.work.queued());
      if (publish.length > 0) this.logger.log?.(`re-planning ${publish.length} episode(s) the work stream does not hold`);
      this.pending.push({ kind: 'publish', items: publish }, ...withdraw.map((evaluationId) => ({ kind: 'withdraw' as const, evaluationId })));
      try {
        await this.settle();
      } catch (error) {
        // A conflict: the aggregate is folded as stored now; the consumer's next event decides again.
        if (!(error instanceof RetryableError)) throw error;
        this.logger.warn?.(error.message);
      }
      return end;
    });
  }

  /** One event from the durable consumer. Throwing naks it (with backoff); the fold is kept either way. */
  handle(event: RecordedEvent): Promise<void> {
    return this.serially(async () => {
      const folded = foldValidator(this.state, event);
      if (folded.unfolded !== undefined) this.logger.warn?.(`cannot fold #${event.streamSequence} (${event.type} ${event.eventId}): ${folded.unfolded}`);
      this.take(folded);
      await this.settle();
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private take(folded: ValidatorFold): void {
    for (const reason of folded.dropped) this.logger.log?.(`not claiming: ${reason}`);
    if (folded.publish.length > 0) this.pending.push({ kind: 'publish', items: folded.publish });
    for (const evaluationId of folded.withdraw) this.pending.push({ kind: 'withdraw', evaluationId });
  }

  /** Appends what the state decides, round after round, carrying out the work-stream effects of each round. */
  private async settle(): Promise<void> {
    await this.carryOut();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const decisions = decideValidator(this.state);
      if (decisions.length === 0) return;
      for (const d of decisions) await this.append(d);
      await this.carryOut();
    }
    this.logger.warn?.(`still deciding after ${MAX_ROUNDS} rounds; the next event decides again`);
  }

  private async carryOut(): Promise<void> {
    while (this.pending.length > 0) {
      const effect = this.pending[0]!;
      if (effect.kind === 'publish') await this.work.publish(effect.items);
      else await this.work.withdraw(effect.evaluationId);
      this.pending.shift();
    }
  }

  /**
   * At the evaluation's position as folded (new: "must not exist"), and folds what was stored. A conflict means the
   * log is ahead of the fold (a previous run's append): fold the evaluation as stored, and decide again on redelivery.
   */
  private async append(d: EvaluationDecision): Promise<void> {
    const expected = evaluationPosition(this.state, d.evaluationId);
    try {
      const stored = await this.store.append('evaluation', d.evaluationId, d.events, { expected, causationId: d.causationId, correlationId: d.correlationId });
      for (const event of stored) this.take(foldValidator(this.state, event));
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      for (const event of (await this.store.load('evaluation', d.evaluationId)).events) this.take(foldValidator(this.state, event));
      throw new RetryableError(`evaluation ${d.evaluationId} was ahead of the validator's knowledge; decided again on redelivery`, { cause: error });
    }
  }
}
