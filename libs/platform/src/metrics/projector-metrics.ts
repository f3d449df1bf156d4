import { Counter } from 'prom-client';
import { metricsRegistry } from './registry.js';
import { SampledGauge } from './sampled-gauge.js';

/** Projector metrics: the live projector counts what it applies, the projector app samples its lag. */
export const projectorMetrics = {
  /** Events on the stream past the read models' checkpoint: how far the API's answers are behind the log. */
  lag: new SampledGauge('kinitro_projector_lag_events', 'Events in the events stream after the read models checkpoint', ['schema']),
  checkpoint: new SampledGauge('kinitro_projector_checkpoint_sequence', 'Stream sequence of the read models checkpoint', ['schema']),
  /** rate() of it is the events applied per second. */
  applied: new Counter({
    name: 'kinitro_projector_events_applied_total',
    help: 'Events applied to the read models (poison ones included, recorded as such)',
    labelNames: ['schema'] as const,
    registers: [metricsRegistry],
  }),
};
