import type { BenchmarkSpec } from '#contracts';

/** Valid sample values shared by the decider specs. */
export const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
export const VALIDATOR_A = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
export const VALIDATOR_B = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
export const REVISION = 'a'.repeat(40);

export const benchmark = (overrides: Partial<BenchmarkSpec> = {}): BenchmarkSpec => ({
  name: 'mt10',
  provider: 'metaworld',
  tasks: ['reach-v3', 'push-v3'],
  episodesPerTask: 3,
  maxSteps: 500,
  timeoutSeconds: 3600,
  ...overrides,
});
