import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LIMITS, type Sandbox } from '#agent';
import { sessionLimits } from './episode-evaluator.js';

/** Only describe() is read: the sandbox's defaults. */
const sandboxWith = (wallSeconds: number, cpuSeconds: number) =>
  ({ describe: () => ({ defaultLimits: { ...DEFAULT_LIMITS, wallSeconds, cpuSeconds } }) }) as unknown as Sandbox;
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

describe('sessionLimits', () => {
  it("gives a session the evaluation's time plus a minute, CPU time growing at the sandbox's cores", () => {
    // Two hours left, defaults of one core for an hour: 7,260 s of wall clock and as many CPU seconds.
    expect(sessionLimits(sandboxWith(3600, 3600), '2026-03-01T14:00:00.000Z', NOW)).toEqual({ wallSeconds: 7260, cpuSeconds: 7260 });
    // Two cores (1,200 CPU s per 600 s): ten minutes left give 660 s and 1,320 CPU s.
    expect(sessionLimits(sandboxWith(600, 1200), '2026-03-01T12:10:00.000Z', NOW)).toEqual({ wallSeconds: 660, cpuSeconds: 1320 });
  });

  it('never goes below a minute, even at or past the deadline', () => {
    expect(sessionLimits(sandboxWith(3600, 1800), '2026-03-01T11:00:00.000Z', NOW)).toEqual({ wallSeconds: 60, cpuSeconds: 30 });
  });
});
