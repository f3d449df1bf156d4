import type { JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { Topology } from '#contracts';
import { eventingMetrics, type LogContext } from '#platform';

/**
 * Registers a durable's lag (pending and ack-pending messages) and its dead letters with the metrics, read from
 * the server at scrape time; the returned function removes them when the consumer stops.
 */
export const observeConsumer = (jsm: JetStreamManager, topology: Topology, stream: string, durable: string): (() => void) => {
  const key = `${stream}/${durable}`;
  const labels = { stream, durable };
  const info = () => jsm.consumers.info(stream, durable);
  const dlqSubject = topology.deadLetterSubject(durable);
  const removals = [
    eventingMetrics.pending.add(key, async () => [{ labels, value: (await info()).num_pending }]),
    eventingMetrics.ackPending.add(key, async () => [{ labels, value: (await info()).num_ack_pending }]),
    eventingMetrics.deadLetters.add(key, async () => {
      const dlq = await jsm.streams.info(topology.deadLetterStream, { subjects_filter: dlqSubject });
      return [{ labels: { stream: topology.deadLetterStream, durable }, value: dlq.state.subjects?.[dlqSubject] ?? 0 }];
    }),
  ];
  return () => removals.forEach((remove) => remove());
};

const stringField = (item: object, key: string): string | undefined => {
  const value = (item as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The ids every log line written while `msg` is handled carries: an event's id, type, correlation and causation
 * ids; a work item's message id and the evaluation, episode and job it names.
 */
export const messageLogContext = (durable: string, msg: JsMsg, item: unknown): LogContext => {
  const context: LogContext = { durable, subject: msg.subject, streamSequence: msg.seq };
  const messageId = msg.headers?.get('Nats-Msg-Id');
  if (messageId) context.messageId = messageId;
  if (item === null || typeof item !== 'object') return context;
  for (const key of ['eventId', 'correlationId', 'causationId', 'evaluationId', 'episodeId', 'jobId'] as const) {
    const value = stringField(item, key);
    if (value) context[key] = value;
  }
  const type = stringField(item, 'type');
  if (type && context.eventId) context.eventType = type;
  return context;
};
