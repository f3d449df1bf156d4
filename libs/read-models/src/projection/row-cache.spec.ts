import { describe, expect, it } from '@jest/globals';
import { cacheableTables, RowCache } from './row-cache.js';
import type { ApiKeyRow } from './rows.js';

const key = (id: string): ApiKeyRow => ({
  key_id: id,
  name: id,
  sha256: '0'.repeat(64),
  role: 'admin',
  issued_by: 'admin',
  revoked_by: null,
  revoked: false,
  issued_at: '2026-11-01T00:00:00.000Z',
  revoked_at: null,
  last_sequence: 1,
});

describe('RowCache', () => {
  it('caches only tables looked up by their primary key', () => {
    expect([...cacheableTables].sort()).toEqual(['api_keys', 'competitions', 'episode_states', 'episodes', 'jobs', 'results', 'submissions']);
    const cache = new RowCache(10);
    cache.put('job_status', [{ job_id: 'j', validator: 'v' } as never]);
    expect(cache.get('job_status', 'j|v')).toBeUndefined();
  });

  it('evicts the least recently used row beyond its bound', () => {
    const cache = new RowCache(2);
    cache.put('api_keys', [key('a'), key('b')]);
    expect(cache.get('api_keys', 'a')?.name).toBe('a');
    cache.put('api_keys', [key('c')]);
    expect(cache.get('api_keys', 'b')).toBeUndefined();
    expect(cache.get('api_keys', 'a')?.name).toBe('a');
    expect(cache.get('api_keys', 'c')?.name).toBe('c');
  });
});
