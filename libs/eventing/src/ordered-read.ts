import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { leaderGet } from './leader-get.js';

export interface OrderedReadOptions {
  stream: string;
  /** A single subject (2.9 has no multi-filter consumers); omitted = the whole stream. */
  filterSubject?: string;
  fromSequence: number;
  toSequence?: number;
  until?: Date;
  follow?: boolean;
  /** Messages per pull: larger batches read faster (measured: 5000 ≈ +20% over 1000), smaller ones hold less memory. */
  batch?: number;
  /** Messages to pass over without mapping (the end conditions still see them). */
  skip?: (msg: JsMsg) => boolean;
}

const identity = (msg: JsMsg): JsMsg => msg;

/**
 * Stream messages in order from `fromSequence`, through an ordered consumer (the client recreates it at the
 * right sequence on any gap, so nothing is skipped or repeated). Without `follow` it ends once it has delivered
 * a message with nothing pending after it: events appended during the read are delivered too.
 */
export function readOrdered(js: JetStreamClient, jsm: JetStreamManager, options: OrderedReadOptions): AsyncGenerator<JsMsg>;
/** `map` runs inside the loop: one async generator per read instead of two keeps the hot path short. */
export function readOrdered<T>(js: JetStreamClient, jsm: JetStreamManager, options: OrderedReadOptions, map: (msg: JsMsg) => T): AsyncGenerator<T>;
export async function* readOrdered<T>(
  js: JetStreamClient,
  jsm: JetStreamManager,
  options: OrderedReadOptions,
  map: (msg: JsMsg) => T = identity as (msg: JsMsg) => T,
): AsyncGenerator<T> {
  const { stream, filterSubject, fromSequence, toSequence, until, follow = false, batch = 5000, skip } = options;
  if (toSequence !== undefined && toSequence < fromSequence) return;
  if (!follow) {
    // An ordered consumer on an empty range would wait forever: find out first whether there is anything to read,
    // from the leader (a replica could say "nothing" about a message just written).
    const first = await leaderGet(jsm, stream, { next_by_subj: filterSubject ?? '>', seq: Math.max(1, fromSequence) });
    if (!first || (toSequence !== undefined && first.seq > toSequence) || (until && first.time > until)) return;
  }
  const consumer = await js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, fromSequence),
    // A string (not an array) becomes `filter_subject`, which 2.9 understands.
    ...(filterSubject ? { filter_subjects: filterSubject } : {}),
  });
  const messages = await consumer.consume({ max_messages: batch });
  try {
    for await (const msg of messages) {
      if (toSequence !== undefined && msg.seq > toSequence) return;
      if (until && msg.time > until) return;
      if (!skip?.(msg)) yield map(msg);
      if (toSequence !== undefined && msg.seq >= toSequence) return;
      if (!follow && msg.info.pending === 0) return;
    }
  } finally {
    await messages.close();
    await consumer.delete().catch(() => undefined);
  }
}
