import type { RecordedEvent, Topology } from '#contracts';
import { decodeStored, DeadLetters, JetStreamEventReader, type DeadLetterRecord, type JetStreamConnection } from '#eventing';
import { openReadModels } from '../data-source.js';
import { BatchApplier } from './batch-applier.js';
import { ReplayService, type ReplayReport } from './replay.js';

/** The projector's dead letter names an event that today's code still cannot decode: re-driving it would skip it again. */
export class StillPoisonError extends Error {
  override readonly name = 'StillPoisonError';
  constructor(
    readonly streamSequence: number,
    reason: string,
  ) {
    super(`event #${streamSequence} still does not decode: ${reason}`);
  }
}

export type RedriveReport =
  /** Folded on its own into the live tables (or rejected, as a replay would have). */
  | { kind: 'folded'; event: RecordedEvent; rejected: string | undefined; removed: number[] }
  /** Folding it late might differ from folding it in order (`reason`): the read models were rebuilt through it. */
  | { kind: 'rebuilt'; event: RecordedEvent; reason: string; replay: ReplayReport; removed: number[] };

export interface RedriveDependencies {
  nats: JetStreamConnection;
  topology: Topology;
  databaseUrl: string;
  /** The live read-model schema. */
  schema: string;
  /** The durable name the projector dead-letters under. */
  consumer?: string;
}

/**
 * Re-drives an event the projector dead-lettered, once its cause is fixed (today's code decodes it). Nothing is
 * published: the log still holds the event at its sequence, and it is that stored event which is folded. Folded
 * alone when that is exact (BatchApplier.refold), else by rebuilding the read models from the log (a replay folds
 * it in order). Then the dead letters of every event the tables now reflect are removed. Safe to repeat.
 */
export class DeadLetterRedrive {
  private readonly deadLetters: DeadLetters;
  private readonly consumer: string;

  constructor(private readonly deps: RedriveDependencies) {
    this.deadLetters = new DeadLetters(deps.nats.js, deps.nats.jsm, deps.topology);
    this.consumer = deps.consumer ?? 'projector';
  }

  async redrive(record: DeadLetterRecord): Promise<RedriveReport> {
    const event = await this.storedEvent(record.streamSequence);
    const pendingEarlier = await this.decodablePending((seq) => seq < record.streamSequence);
    const dataSource = await openReadModels({ url: this.deps.databaseUrl, schema: this.deps.schema, poolSize: 2 });
    let reason: string;
    try {
      if (pendingEarlier.length) {
        reason = `earlier dead letter(s) of events ${pendingEarlier.map((r) => `#${r.streamSequence}`).join(', ')} decode too and come first`;
      } else {
        const outcome = await new BatchApplier(dataSource, this.deps.schema).refold(event, await this.lastOnSubject(record.subject));
        if (outcome.folded) {
          await this.deadLetters.remove(record.sequence);
          return { kind: 'folded', event, rejected: outcome.rejected[0]?.reason, removed: [record.sequence] };
        }
        reason = outcome.reason;
      }
    } finally {
      await dataSource.destroy();
    }
    const reader = new JetStreamEventReader(this.deps.nats.js, this.deps.nats.jsm, this.deps.topology);
    const replay = await new ReplayService({ databaseUrl: this.deps.databaseUrl, liveSchema: this.deps.schema, reader }).replay();
    const folded = await this.decodablePending((seq) => seq <= replay.lastSequence);
    for (const letter of folded) await this.deadLetters.remove(letter.sequence);
    return { kind: 'rebuilt', event, reason, replay, removed: folded.map((r) => r.sequence) };
  }

  /** The event as the log holds it, decoded by today's code. */
  private async storedEvent(streamSequence: number): Promise<RecordedEvent> {
    const stored = await this.deps.nats.jsm.streams.getMessage(this.deps.topology.eventsStream, { seq: streamSequence });
    if (!stored) throw new StillPoisonError(streamSequence, `${this.deps.topology.eventsStream} holds no message at that sequence`);
    try {
      return decodeStored(stored);
    } catch (error) {
      throw new StillPoisonError(streamSequence, (error as Error).message);
    }
  }

  /** The projector's dead letters (of events in `range`) whose events today's code decodes. */
  private async decodablePending(range: (streamSequence: number) => boolean): Promise<DeadLetterRecord[]> {
    const decodable: DeadLetterRecord[] = [];
    for (const letter of await this.deadLetters.list({ consumer: this.consumer })) {
      if (!range(letter.streamSequence)) continue;
      const decodes = await this.storedEvent(letter.streamSequence).then(
        () => true,
        (error: unknown) => {
          if (error instanceof StillPoisonError) return false;
          throw error;
        },
      );
      if (decodes) decodable.push(letter);
    }
    return decodable;
  }

  private async lastOnSubject(subject: string): Promise<number> {
    return (await this.deps.nats.jsm.streams.getMessage(this.deps.topology.eventsStream, { last_by_subj: subject }))?.seq ?? 0;
  }
}
