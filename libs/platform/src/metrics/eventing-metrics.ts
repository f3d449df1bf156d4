import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from './registry.js';
import { SampledGauge } from './sampled-gauge.js';

/** Consumer runner metrics (libs/eventing): one place that defines them, the runner records them. */
export const eventingMetrics = {
  /** Messages of the stream the durable has not been delivered yet: its lag (what KEDA scales evaluators on). */
  pending: new SampledGauge('kinitro_consumer_pending_messages', 'Messages not yet delivered to the durable consumer (its lag)', ['stream', 'durable']),
  /** Delivered, not yet acknowledged: in a handler, or waiting out ack_wait. */
  ackPending: new SampledGauge('kinitro_consumer_ack_pending_messages', 'Messages delivered to the durable and not yet acknowledged', ['stream', 'durable']),
  /** Records in the dead-letter stream per consumer that gave up on them. */
  deadLetters: new SampledGauge('kinitro_dead_letters', 'Messages in the dead-letter stream, per consumer that gave up on them', ['stream', 'durable']),
  handled: new Counter({
    name: 'kinitro_consumer_messages_total',
    help: 'Messages handled by a durable consumer, by outcome (ack, retry, dead_letter)',
    labelNames: ['durable', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  handleSeconds: new Histogram({
    name: 'kinitro_consumer_handle_seconds',
    help: 'Time a handler took per message',
    labelNames: ['durable'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
    registers: [metricsRegistry],
  }),
};
