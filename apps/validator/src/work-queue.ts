import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { episodeWorkMessageId, episodeWorkSubject, evaluationWorkFilter, validatorWorkFilter, type EpisodeWorkItem, type Topology } from '#contracts';

/** The validator's side of the work stream (its own subjects only): put episodes on it, take an evaluation's off, see what it holds. */
export interface WorkQueue {
  publish(items: readonly EpisodeWorkItem[]): Promise<void>;
  /** Removes every queued item of the evaluation (evaluators holding one find it gone when they ack). */
  withdraw(evaluationId: string): Promise<void>;
  /** The slots queued (waiting or held unacknowledged by an evaluator), by evaluation id, of this validator. */
  queued(): Promise<Map<string, Set<number>>>;
}

export class WorkQueueError extends Error {
  override readonly name = 'WorkQueueError';
}

/** The server's "no message found" (10037 on a get, 10057 on a delete): the item left the stream (acked) meanwhile. */
const MESSAGE_DELETE_FAILED = 10057;
const isGone = (cause: unknown): boolean =>
  cause instanceof JetStreamApiError && (cause.code === JetStreamApiCodes.NoMessageFound || cause.code === MESSAGE_DELETE_FAILED);

/** `<ns>.work.episode.<validator>.<evaluationId>.<slot>` → [evaluationId, slot], given the prefix up to the validator's token. */
const parseSubject = (prefix: string, subject: string): [string, number] | undefined => {
  if (!subject.startsWith(prefix)) return undefined;
  const [evaluationId, slot, ...rest] = subject.slice(prefix.length).split('.');
  return evaluationId && slot && rest.length === 0 && /^\d+$/.test(slot) ? [evaluationId, Number(slot)] : undefined;
};

/**
 * On KINITRO_WORK (a work-queue stream: an item leaves it when an evaluator acks it). Each item is published with
 * its message id, so a publish retried inside the duplicate window is stored once. The server remembers message ids
 * even after a purge: an item re-planned because the stream lost it (purged, dead-lettered) would be dropped as a
 * duplicate, so a re-plan that the server calls a duplicate of an item it no longer holds is published again under
 * a re-plan id.
 */
export class JetStreamWorkQueue implements WorkQueue {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
    /** The validator whose work this is: every subject it touches carries its SS58. */
    private readonly validator: string,
  ) {}

  async publish(items: readonly EpisodeWorkItem[]): Promise<void> {
    for (const item of items) {
      if (item.validator !== this.validator)
        throw new WorkQueueError(`episode ${item.episodeId} is validator ${item.validator}'s work, not ${this.validator}'s`);
      const subject = episodeWorkSubject(this.topology, this.validator, item.evaluationId, item.slot);
      const body = JSON.stringify(item);
      try {
        const ack = await this.js.publish(subject, body, { msgID: episodeWorkMessageId(item) });
        if (ack.duplicate && !(await this.holds(subject)))
          await this.js.publish(subject, body, { msgID: `${episodeWorkMessageId(item)}-replan-${Date.now()}` });
      } catch (cause) {
        throw new WorkQueueError(`cannot queue episode ${item.episodeId} on ${subject}: ${(cause as Error).message}`, { cause });
      }
    }
  }

  /**
   * Deletes the evaluation's items one message at a time. Not a filtered purge: on NATS 2.9 a purge with a subject
   * filter on a work-queue stream moves the consumer past every message of the stream, so the evaluators would never
   * see the other evaluations' items (measured on 2.9.10: pending drops to 0 while the stream still holds them).
   */
  async withdraw(evaluationId: string): Promise<void> {
    const stream = this.topology.workStream;
    try {
      for (const [subject, count] of Object.entries(await this.subjects(evaluationWorkFilter(this.topology, this.validator, evaluationId)))) {
        for (let i = 0; i < count; i++) {
          const message = await this.jsm.streams.getMessage(stream, { last_by_subj: subject });
          // An evaluator acked it meanwhile: nothing left to take off.
          if (!message) break;
          await this.jsm.streams.deleteMessage(stream, message.seq, false).catch((cause: unknown) => {
            if (!isGone(cause)) throw cause;
          });
        }
      }
    } catch (cause) {
      if (cause instanceof WorkQueueError) throw cause;
      throw new WorkQueueError(`cannot withdraw the work of evaluation ${evaluationId}: ${(cause as Error).message}`, { cause });
    }
  }

  async queued(): Promise<Map<string, Set<number>>> {
    const prefix = `${this.topology.workSubject('episode', this.validator)}.`;
    const queued = new Map<string, Set<number>>();
    for (const subject of Object.keys(await this.subjects(validatorWorkFilter(this.topology, this.validator)))) {
      const parsed = parseSubject(prefix, subject);
      if (parsed) queued.set(parsed[0], (queued.get(parsed[0]) ?? new Set()).add(parsed[1]));
    }
    return queued;
  }

  private async holds(subject: string): Promise<boolean> {
    return (await this.subjects(subject))[subject] !== undefined;
  }

  /** Per-subject message counts of the work stream under `filter` (the server answers only subjects that hold messages). */
  private async subjects(filter: string): Promise<Record<string, number>> {
    try {
      return (await this.jsm.streams.info(this.topology.workStream, { subjects_filter: filter })).state.subjects ?? {};
    } catch (cause) {
      if (cause instanceof JetStreamApiError && cause.code === JetStreamApiCodes.StreamNotFound)
        throw new WorkQueueError(`the work stream ${this.topology.workStream} does not exist`, { cause });
      throw new WorkQueueError(`cannot read what the work stream holds under ${filter}: ${(cause as Error).message}`, { cause });
    }
  }
}
