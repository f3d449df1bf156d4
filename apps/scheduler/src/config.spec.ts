import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform';
import { loadSchedulerConfig } from './config.js';

const problemsOf = (env: Record<string, string>): ConfigError['problems'] => {
  try {
    loadSchedulerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('scheduler configuration', () => {
  it('needs NETUID and fills in the rest', () => {
    expect(problemsOf({})).toEqual([{ variable: 'NETUID', message: 'is required: the subnet whose commitments become submissions' }]);
    expect(loadSchedulerConfig({ NETUID: '7' })).toMatchObject({
      NETUID: 7,
      SCHEDULER_TICK_MS: 5000,
      SCHEDULER_HUB_TIMEOUT_MS: 15_000,
      KINITRO_NAMESPACE: 'kinitro',
      hub: {},
    });
  });

  it('names every bad variable at once: shared, own and Hub', () => {
    const problems = problemsOf({ NETUID: '70000', NATS_URL: 'http://x', SCHEDULER_TICK_MS: '1', HF_ENDPOINT: 'ftp://hub', HF_TOKEN: 'nope' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['HF_ENDPOINT', 'NATS_URL', 'NETUID', 'SCHEDULER_TICK_MS']);
  });

  it('passes the Hub endpoint and token through', () => {
    expect(loadSchedulerConfig({ NETUID: '1', HF_ENDPOINT: 'http://127.0.0.1:9000', HF_TOKEN: 'hf_abc' }).hub).toEqual({
      hubUrl: 'http://127.0.0.1:9000',
      token: 'hf_abc',
    });
  });
});
