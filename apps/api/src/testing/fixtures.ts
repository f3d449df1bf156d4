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

/** The secret part of an issued key, `kinitro_<32 hex key id>_<base64url secret>`: base64url may itself hold '_', so not split('_'). */
export const secretOf = (key: string): string => key.slice('kinitro_'.length + 32 + 1);
