import { setTimeout as sleep } from 'node:timers/promises';
import { batches, readAhead, type DeadLetters, type EventReader } from '#eventing';
import { projectorMetrics } from '#platform';
import { EventValidationError } from '#contracts';
import { type AppliedBatch, BatchApplier, CheckpointGapError, type PoisonItem } from './batch-applier.js';
import type { ProgressLogger } from './logger.js';

export interface LiveProjectorOptions {
  batchSize: number;
  /** How long a partial batch may wait for more events before it is applied. */
  maxWaitMs?: number;
  /** Pause before re-reading after an unexpected error (database or NATS down). */
  retryDelayMs?: number;
  /** Name under which poison messages are dead-lettered. */
  consumer?: string;
}

const PROGRESS_EVERY_MS = 5000;

/**
 * The live projector: reads the events stream from the checkpoint in follow mode and applies it batch by batch.
 * Any failure re-reads from the checkpoint, so nothing is applied twice or skipped.
 */
export class LiveProjector {
  private progress = { events: 0, since: Date.now() };

  constructor(
    private readonly applier: BatchApplier,
    private readonly reader: EventReader,
    private readonly deadLetters: Pick<DeadLetters, 'record'>,
    private readonly logger: ProgressLogger,
    private readonly options: LiveProjectorOptions,
  ) {}

  /** Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { batchSize, maxWaitMs = 10, retryDelayMs = 1000 } = this.options;
    while (!signal.aborted) {
      // Ends this attempt's read when the attempt ends: a failed batch leaves no reader waiting on the signal.
      const attempt = new AbortController();
      const stopAttempt = () => attempt.abort();
      signal.addEventListener('abort', stopAttempt);
      try {
        const from = (await this.applier.store.checkpoint(this.applier.dataSource)) + 1;
        this.logger.log(`projecting ${this.applier.schema} from sequence ${from}`);
        const stream = this.reader.read({ fromSequence: from, follow: true });
        for await (const items of readAhead(batches(stream, { maxSize: batchSize, maxWaitMs, signal: attempt.signal }))) {
          const applied = await this.applier.apply(items, { onPoison: (item) => this.deadLetter(item) });
          if (applied) this.report(applied);
        }
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof CheckpointGapError) {
          this.logger.warn(`${error.message}: re-reading from the checkpoint`);
          continue;
        }
        this.logger.error(`projection failed, retrying from the checkpoint: ${(error as Error).message}`);
        await sleep(retryDelayMs, undefined, { signal }).catch(() => undefined);
      } finally {
        attempt.abort();
        signal.removeEventListener('abort', stopAttempt);
      }
    }
  }

  private async deadLetter(item: PoisonItem): Promise<void> {
    this.logger.warn(`poison message #${item.streamSequence} on ${item.subject}: ${item.error.message}`);
    await this.deadLetters.record({
      consumer: this.options.consumer ?? 'projector',
      streamSequence: item.streamSequence,
      subject: item.subject,
      reason: item.error.message,
      issues: item.error instanceof EventValidationError ? item.error.issues : [],
      raw: item.raw,
    });
  }

  private report(applied: AppliedBatch): void {
    for (const { event, reason } of applied.rejected) {
      this.logger.warn(`${event.type} #${event.streamSequence} rejected (recorded in rejected_events): ${reason}`);
    }
    projectorMetrics.applied.inc({ schema: this.applier.schema }, applied.events + applied.poison);
    this.progress.events += applied.events + applied.poison;
    const elapsed = Date.now() - this.progress.since;
    if (elapsed < PROGRESS_EVERY_MS) return;
    const rate = Math.round((this.progress.events * 1000) / Math.max(elapsed, 1));
    this.logger.log(`checkpoint ${applied.toSequence}: ${this.progress.events} events in ${elapsed} ms (${rate}/s)`);
    this.progress = { events: 0, since: Date.now() };
  }
}
