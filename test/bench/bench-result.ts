import { loadavg } from 'node:os';

/** The prefix of the one line a bench prints for the runner (test/bench/run-all.ts) to collect. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints a bench's figures as one JSON line, with the load average at the time they were taken. */
export const emitResult = (bench: string, figures: Record<string, unknown>): void => {
  console.log(RESULT_PREFIX + JSON.stringify({ bench, loadavg: loadavg(), ...figures }));
};

/** Peak RSS and heap seen while `work` runs, sampled every 20 ms (and once at each end). */
export const peakMemory = async <T>(work: () => Promise<T>): Promise<{ result: T; peakRssMB: number; peakHeapMB: number }> => {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, peakRssMB: Math.round(rss / 2 ** 20), peakHeapMB: Math.round(heap / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
};
