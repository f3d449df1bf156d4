import { JetStreamApiError, type ApiError } from '@nats-io/jetstream';
import { headers as natsHeaders, nuid, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';

export interface BatchMessage {
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs;
}

/** JetStream errors of an atomic batch the event store tells apart (nats-server's errors.json). */
export const BATCH_ERRORS = {
  /** The stream has no `allow_atomic`. */
  disabled: 10174,
  /** A message id of the batch is stored already: none of the batch was stored. */
  duplicateMessageId: 10201,
} as const;

const REQUEST_TIMEOUT_MS = 5000;

/** An empty reply acknowledges a message of an uncommitted batch; anything else is an error PubAck. */
const replyOf = (data: Uint8Array): { error?: ApiError; seq?: number; count?: number } =>
  data.length ? (JSON.parse(new TextDecoder().decode(data)) as { error?: ApiError; seq?: number; count?: number }) : {};

/**
 * Publishes `messages` as one atomic batch (ADR-50; NATS 2.12+, a stream with `allow_atomic`): the server stores
 * all of them or none. Each message carries `Nats-Batch-Id` and `Nats-Batch-Sequence`, the last `Nats-Batch-Commit`;
 * expectations (`Nats-Expected-Last-Subject-Sequence`) go on the first message, and the server checks them at the
 * commit against the stream as it was before the batch. Every message is a request, so an error ends the batch at
 * once; one never committed (this process died) is abandoned by the server after 10 s, stored nowhere.
 * Returns the stream sequences, in order; a refusal is the server's JetStreamApiError (its code intact, which
 * @nats-io/jetstream's `Batch.commit` does not keep).
 */
export const publishAtomically = async (nc: NatsConnection, messages: readonly BatchMessage[]): Promise<number[]> => {
  if (messages.length === 0) return [];
  const id = nuid.next();
  const send = async (message: BatchMessage, sequence: number, commit: boolean) => {
    const h = natsHeaders();
    for (const key of message.headers?.keys() ?? []) for (const value of message.headers!.values(key)) h.append(key, value);
    h.set('Nats-Batch-Id', id);
    h.set('Nats-Batch-Sequence', String(sequence));
    if (commit) h.set('Nats-Batch-Commit', '1');
    const reply = replyOf((await nc.request(message.subject, message.data, { headers: h, timeout: REQUEST_TIMEOUT_MS })).data);
    if (reply.error) throw new JetStreamApiError(reply.error);
    return reply;
  };
  for (const [i, message] of messages.slice(0, -1).entries()) await send(message, i + 1, false);
  const ack = await send(messages.at(-1)!, messages.length, true);
  if (ack.seq === undefined || ack.count !== messages.length)
    throw new Error(`atomic batch ${id}: the commit acknowledged ${ack.count ?? 0} of ${messages.length} messages`);
  return messages.map((_, k) => ack.seq! - messages.length + 1 + k);
};
