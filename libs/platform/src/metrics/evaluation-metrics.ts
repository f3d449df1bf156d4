import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from './registry.js';

const episodes = new Counter({
  name: 'kinitro_episodes_total',
  help: 'Episodes an evaluator ran to an outcome: recorded, or the verdict that ended them',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

const verdicts = new Counter({
  name: 'kinitro_sandbox_verdicts_total',
  help: 'Verdicts that ended an agent episode or session, by kind and fault',
  labelNames: ['verdict', 'fault'] as const,
  registers: [metricsRegistry],
});

const act = new Histogram({
  name: 'kinitro_agent_act_seconds',
  help: 'Latency of one agent Act call (unary, on the ActStream, or in a batch on the ActBatchStream), as the evaluator measures it',
  labelNames: ['transport'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

type ActTransport = 'stream' | 'batch' | 'unary';
/** Made once: timeAct runs on every step, and startTimer merges fresh label objects and closures on each. */
const ACT_LABELS: Readonly<Record<ActTransport, { transport: ActTransport }>> = {
  stream: { transport: 'stream' },
  batch: { transport: 'batch' },
  unary: { transport: 'unary' },
};

/** Evaluation metrics: the evaluator counts each episode's end, the agent client times each Act. */
export const evaluationMetrics = {
  /** One episode's end: rate() of the counter is episodes per second; a verdict also counts under its kind and fault. */
  episodeEnded(attempt: { kind: 'recorded' } | { kind: 'verdict'; verdict: { kind: string; fault: string } }): void {
    if (attempt.kind === 'recorded') return void episodes.inc({ outcome: 'recorded' });
    episodes.inc({ outcome: attempt.verdict.kind });
    verdicts.inc({ verdict: attempt.verdict.kind, fault: attempt.verdict.fault });
  },
  /** Times `call`, failed calls included (a missed deadline is the slowest answer there is). */
  async timeAct<T>(transport: ActTransport, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      act.observe(ACT_LABELS[transport], (performance.now() - started) / 1000);
    }
  },
};
