import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform';
import { apiSettings, loadApiConfig } from './api-config.js';

describe('loadApiConfig', () => {
  it('gives the documented defaults', () => {
    expect(loadApiConfig({})).toMatchObject({
      API_RATE_LIMIT: 1200,
      API_RATE_LIMIT_WINDOW_S: 60,
      API_ADMIN_AUTH_FAILURES: 10,
      API_ADMIN_AUTH_WINDOW_S: 900,
      API_ADMIN_AUTH_BLOCK_S: 900,
      API_CORS_ORIGINS: [],
      API_BODY_LIMIT_BYTES: 100_000,
      API_BODY_MAX_DEPTH: 16,
    });
    expect(loadApiConfig({}).API_TRUST_PROXY).toBeUndefined();
  });

  it('reads origins, proxy hops or addresses, and plain decimal numbers', () => {
    const config = loadApiConfig({ API_CORS_ORIGINS: 'https://a.example.org, http://localhost:5173', API_TRUST_PROXY: '2', API_RATE_LIMIT: '50' });
    expect(config).toMatchObject({ API_CORS_ORIGINS: ['https://a.example.org', 'http://localhost:5173'], API_TRUST_PROXY: 2, API_RATE_LIMIT: 50 });
    expect(loadApiConfig({ API_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).API_TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
    expect(loadApiConfig({ API_CORS_ORIGINS: '*' }).API_CORS_ORIGINS).toEqual(['*']);
  });

  it('stops naming every bad variable, shared or the API’s own', () => {
    const load = () =>
      loadApiConfig({ API_RATE_LIMIT: '0x10', API_BODY_MAX_DEPTH: '1', API_CORS_ORIGINS: 'https://a.example.org/path', API_PORT: 'eighty' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/API_RATE_LIMIT: must be a decimal integer/);
    expect(load).toThrow(/API_BODY_MAX_DEPTH/);
    expect(load).toThrow(/API_CORS_ORIGINS: must be "\*" or origins/);
    expect(load).toThrow(/API_PORT/);
  });
});

describe('apiSettings', () => {
  it('takes what the config gives and defaults for the rest (a caller passing the shared Config alone)', () => {
    expect(apiSettings({ API_RATE_LIMIT: 5 } as never)).toMatchObject({ API_RATE_LIMIT: 5, API_RATE_LIMIT_WINDOW_S: 60, API_CORS_ORIGINS: [] });
  });
});
