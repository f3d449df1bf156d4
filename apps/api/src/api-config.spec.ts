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
    const load = () => loadApiConfig({ API_RATE_LIMIT: '0x10', API_BODY_MAX_DEPTH: '1', API_CORS_ORIGINS: 'https://a.example.org/path', API_PORT: 'eighty' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/API_RATE_LIMIT: must be a decimal integer/);
    expect(load).toThrow(/API_BODY_MAX_DEPTH/);
    expect(load).toThrow(/API_CORS_ORIGINS: must be "\*" or origins/);
    expect(load).toThrow(/API_PORT/);
  });
});

describe('the object store the API reads', () => {
  it('is the filesystem store in data/objects by default, with presigned URLs valid 300 s', () => {
    const config = loadApiConfig({});
    expect(config.objectStore).toEqual({ kind: 'fs', dir: 'data/objects', publicBaseUrl: undefined });
    expect(config.OBJECT_URL_TTL_S).toBe(300);
  });

  it('reads the storage lib’s variables, and names the bad ones with the API’s own', () => {
    const s3 = loadApiConfig({
      OBJECT_STORE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:7480',
      S3_BUCKET: 'frames',
      S3_ACCESS_KEY: 'a',
      S3_SECRET_KEY: 'b',
      OBJECT_URL_TTL_S: '60',
    });
    expect(s3.objectStore).toMatchObject({ kind: 's3', endpoint: 'http://127.0.0.1:7480', bucket: 'frames', pathStyle: true });
    expect(s3.OBJECT_URL_TTL_S).toBe(60);
    const load = () => loadApiConfig({ OBJECT_STORE: 's3', S3_ENDPOINT: 'http://h:1', OBJECT_URL_TTL_S: '604801' });
    expect(load).toThrow(/S3_BUCKET: required with OBJECT_STORE=s3/);
    expect(load).toThrow(/OBJECT_URL_TTL_S/);
  });
});

describe('apiSettings', () => {
  it('takes what the config gives and defaults for the rest (a caller passing the shared Config alone)', () => {
    expect(apiSettings({ API_RATE_LIMIT: 5 } as never)).toMatchObject({ API_RATE_LIMIT: 5, API_RATE_LIMIT_WINDOW_S: 60, API_CORS_ORIGINS: [] });
  });
});
