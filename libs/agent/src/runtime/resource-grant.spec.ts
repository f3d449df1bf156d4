import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LIMITS } from '../sandbox/limits.js';
import { grantResources } from './resource-grant.js';

const MiB = 1024 * 1024;
// The evaluator's limits: 2 GiB, 1 hour of wall time, 2 hours of CPU (2 cores at most).
const maxima = { ...DEFAULT_LIMITS, memoryBytes: 2048 * MiB, wallSeconds: 3600, cpuSeconds: 7200 };

describe('grantResources', () => {
  it('keeps the evaluator limits when the manifest asks for nothing', () => {
    expect(grantResources(undefined, maxima)).toEqual({ limits: maxima, notes: [] });
    expect(grantResources({}, maxima)).toEqual({ limits: maxima, notes: [] });
  });

  it('lowers memory and CPU time to what the agent asks for', () => {
    // 512 MiB; half a core for the hour is 1800 CPU seconds.
    expect(grantResources({ memoryMiB: 512, cpus: 0.5 }, maxima)).toEqual({
      limits: { ...maxima, memoryBytes: 512 * MiB, cpuSeconds: 1800 },
      notes: [],
    });
    // 1.5 cores: 5400 s; the other limits untouched.
    expect(grantResources({ cpus: 1.5 }, maxima).limits).toEqual({ ...maxima, cpuSeconds: 5400 });
  });

  it('never grants more than the maxima, and says which request was cut', () => {
    expect(grantResources({ memoryMiB: 8192, cpus: 4 }, maxima)).toEqual({
      limits: maxima,
      notes: [
        "resources.memoryMiB: 8192 MiB requested, 2048 MiB is this evaluator's maximum",
        "resources.cpus: 4 CPUs requested, 2 CPUs is this evaluator's maximum",
      ],
    });
  });

  it('notes a GPU request it cannot grant', () => {
    expect(grantResources({ gpus: 1, memoryMiB: 256 }, maxima)).toEqual({
      limits: { ...maxima, memoryBytes: 256 * MiB },
      notes: ['resources.gpus: 1 requested, this evaluator provides none (the agent runs on CPU)'],
    });
  });

  it('keeps at least one CPU second for a tiny request on a short session', () => {
    expect(grantResources({ cpus: 0.1 }, { ...maxima, wallSeconds: 2, cpuSeconds: 2 }).limits.cpuSeconds).toBe(1);
  });
});
