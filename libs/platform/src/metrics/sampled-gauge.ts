import { Gauge } from 'prom-client';
import { metricsRegistry } from './registry.js';

export type Sample<L extends string> = { labels: Record<L, string>; value: number };

/**
 * A gauge read from its sources at scrape time (a consumer's pending count, a stream's size): nothing polls
 * between scrapes. Each source is registered under a key and removed when what it measures stops; a source that
 * fails (NATS unreachable) is left out of that scrape rather than failing the whole /metrics.
 */
export class SampledGauge<L extends string> {
  private readonly sources = new Map<string, () => Promise<Sample<L>[]>>();

  constructor(name: string, help: string, labelNames: readonly L[]) {
    const sources = this.sources;
    // Registered in the registry, which is where it is read from.
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const samples = await Promise.all([...sources.values()].map((sample) => sample().catch(() => [])));
        for (const { labels, value } of samples.flat()) this.set(labels, value);
      },
    });
  }

  /** Adds (or replaces) the source under `key`; the returned function removes it. */
  add(key: string, sample: () => Promise<Sample<L>[]>): () => void {
    this.sources.set(key, sample);
    return () => {
      if (this.sources.get(key) === sample) this.sources.delete(key);
    };
  }
}
