/** A valid admin request body for a competition. */
export const competitionBody = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Competition ${id}`,
  benchmarks: [{ name: 'mt10', provider: 'metaworld', tasks: ['reach-v3', 'push-v3'], episodesPerTask: 2, maxSteps: 200, timeoutSeconds: 600 }],
  weightShare: 0.5,
  maxRepoBytes: 50_000_000,
  submissionRateLimit: { count: 1, perSeconds: 86_400 },
  ...overrides,
});
