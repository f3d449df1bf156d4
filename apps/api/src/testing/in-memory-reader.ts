import { deriveId, schemaVersionOf, type RecordedEvent } from '#contracts';
import type { EventReader, ReadItem, ReadOptions } from '#eventing';

/**
 * An EventReader over an array, with the ordering guarantees of the JetStream one: stream order, a finite
 * read also returns what is appended while it runs, a followed read waits for more. Yields to the event loop
 * between items so concurrent readers interleave as they would over a network.
 */
export class InMemoryEventReader implements EventReader {
  private readonly log: RecordedEvent[] = [];
  private appended: () => void = () => undefined;
  private nextAppend = this.newSignal();

  private newSignal(): Promise<void> {
    return new Promise<void>((resolve) => (this.appended = resolve));
  }

  /** Appends a CompetitionCreated-shaped event for `competitionId` and returns its sequence. */
  append(competitionId: string): number {
    const streamSequence = this.log.length + 1;
    this.log.push({
      eventId: deriveId('in-memory', String(streamSequence)),
      type: 'CompetitionActivated',
      schemaVersion: schemaVersionOf('CompetitionActivated'),
      aggregate: 'competition',
      aggregateId: competitionId,
      aggregateVersion: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: deriveId('in-memory', 'correlation'),
      causationId: null,
      producer: { app: 'test', version: '0' },
      data: { competitionId, activatedBy: 'test' },
      streamSequence,
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    const notify = this.appended;
    this.nextAppend = this.newSignal();
    notify();
    return streamSequence;
  }

  async *read({ fromSequence, follow = false }: ReadOptions): AsyncIterable<ReadItem> {
    for (let sequence = Math.max(1, fromSequence); ; sequence++) {
      while (sequence > this.log.length) {
        if (!follow) return;
        await this.nextAppend;
      }
      await new Promise((resolve) => setImmediate(resolve));
      yield { ok: true, event: this.log[sequence - 1]! };
    }
  }

  async lastSequence(): Promise<number> {
    return this.log.length;
  }
}
