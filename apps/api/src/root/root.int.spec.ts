import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startApiTestBed, type ApiTestBed } from '../testing/api-test-bed.js';
import { request } from '../testing/http-client.js';

let bed: ApiTestBed;
const packageVersion = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

beforeAll(async () => {
  bed = await startApiTestBed('api root');
});
afterAll(async () => {
  await bed?.dispose();
});

describe('GET /', () => {
  it('names the service and its version, with links that each answer', async () => {
    const root = await request(bed.baseUrl, 'GET', '/');
    expect(root.status).toBe(200);
    expect(root.body.service).toBe('kinitro-api');
    expect(root.body.version).toBe(packageVersion);
    expect(root.body.links).toMatchObject({
      docs: '/api/docs',
      openApi: '/api/docs-json',
      health: '/api/v1/health',
      live: '/ws',
      validators: '/api/v1/validators',
      jobStatus: '/api/v1/job-status',
      steps: '/api/v1/steps',
      submissions: '/api/v1/submissions',
    });
    for (const [name, path] of Object.entries(root.body.links as Record<string, string>)) {
      if (name === 'live' || name === 'health') continue; // a WebSocket; health is 503 until the projector runs
      const linked = await fetch(`${bed.baseUrl}${path}`);
      expect([name, linked.status]).toEqual([name, 200]);
    }
  });

  it('is not also served under the API prefix', async () => {
    expect((await request(bed.baseUrl, 'GET', '/api/v1')).status).toBe(404);
  });
});
