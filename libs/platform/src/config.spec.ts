import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives working local defaults on a fresh machine', () => {
    const config = loadConfig({});
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(config.KINITRO_NAMESPACE).toBe('kinitro');
  });

  it('stops with a message naming every bad variable', () => {
    const load = () => loadConfig({ NATS_URL: 'http://x', API_PORT: 'eighty', ADMIN_API_KEY_SHA256: 'abc' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/NATS_URL: must be a URL with protocol nats:/);
    expect(load).toThrow(/API_PORT/);
    expect(load).toThrow(/ADMIN_API_KEY_SHA256: must be the 64-hex SHA-256/);
  });

  it('reads numbers as whole decimals only, the same in every app: "0x10", "1e3", "2.5" and " 5" are refused', () => {
    for (const value of ['0x10', '1e3', '2.5', ' 5', '-1']) {
      expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: value })).toThrow(/SHUTDOWN_TIMEOUT_MS: must be a decimal integer/);
    }
    expect(() => loadConfig({ API_PORT: '0x50' })).toThrow(/API_PORT: must be a decimal integer/);
    expect(() => loadConfig({ KINITRO_STREAM_REPLICAS: '2' })).toThrow(/KINITRO_STREAM_REPLICAS: must be 1, 3 or 5/);
    expect(loadConfig({ API_PORT: '8080', KINITRO_STREAM_REPLICAS: '3' })).toMatchObject({ API_PORT: 8080, KINITRO_STREAM_REPLICAS: 3 });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_SCHEMA: '' }).DATABASE_SCHEMA).toBe('kinitro');
  });
});
