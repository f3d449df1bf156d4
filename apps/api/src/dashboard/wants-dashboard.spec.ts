import { describe, expect, it } from '@jest/globals';
import { wantsDashboard } from './wants-dashboard.js';

describe('wantsDashboard', () => {
  it('gives a browser navigating to a page path the dashboard', () => {
    for (const path of ['/', '/jobs', '/episodes/6f1c2b7e-0000-4000-8000-000000000000', '/submissions/x', '/apis-are-not-the-api']) {
      expect([path, wantsDashboard('GET', path, 'html')]).toEqual([path, true]);
    }
    expect(wantsDashboard('HEAD', '/', 'html')).toBe(true);
  });

  it('leaves API clients, writes, the API, its docs, the live feed and the assets alone', () => {
    expect(wantsDashboard('GET', '/', 'json')).toBe(false);
    expect(wantsDashboard('GET', '/', false)).toBe(false);
    expect(wantsDashboard('POST', '/', 'html')).toBe(false);
    for (const path of ['/api', '/api/docs', '/api/v1/jobs', '/ws', '/metrics', '/dashboard/assets/index.js', '/dashboard']) {
      expect([path, wantsDashboard('GET', path, 'html')]).toEqual([path, false]);
    }
  });
});
