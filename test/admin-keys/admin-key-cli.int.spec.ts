import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startApiTestBed, type ApiTestBed } from '../../apps/api/src/testing/api-test-bed.js';
import { secretOf } from '../../apps/api/src/testing/fixtures.js';
import { request } from '../../apps/api/src/testing/http-client.js';
import { runCli } from '../../apps/cli/src/cli.js';
import { commands } from '../../apps/cli/src/commands.js';

// Every issued key costs a scrypt derivation (tens of ms, far more on a loaded machine).
jest.setTimeout(60_000);

let bed: ApiTestBed;

/** `kinitro admin key …` against the real API (NATS, Postgres, its key bucket), output captured. */
const kinitro = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { KINITRO_API_URL: bed.baseUrl, KINITRO_API_KEY: bed.adminKey },
  });
  return { code, out, err };
};

beforeAll(async () => {
  bed = await startApiTestBed('cli admin keys');
});
afterAll(async () => {
  await bed?.dispose();
});

describe('kinitro admin key', () => {
  it('creates a key, printed once with its id, that the API then knows by its role', async () => {
    const created = await kinitro('admin', 'key', 'create', '--name', 'dashboard', '--role', 'viewer');
    expect(created.code).toBe(0);
    const keyId = /^key id: (\S+)$/.exec(created.out[0]!)![1]!;
    const key = /^key:\s+(\S+)$/.exec(created.out[2]!)![1]!;
    expect(created.out[1]).toBe('role:   viewer');
    expect(created.err.join('\n')).toContain('not shown again');
    const me = await request(bed.baseUrl, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${key}` } });
    expect(me.body).toEqual({ name: 'api-key:dashboard', role: 'viewer', keyId });

    await bed.project();
    const listed = await kinitro('admin', 'key', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out.find((line) => line.startsWith(keyId))).toMatch(/viewer\s+dashboard\s+issued \S+ by bootstrap-admin$/);
    expect(listed.out.join('\n')).not.toContain(secretOf(key));

    const revoked = await kinitro('admin', 'key', 'revoke', '--id', keyId);
    expect([revoked.code, revoked.out[0]]).toEqual([0, expect.stringMatching(new RegExp(`^revoked ${keyId} \\(event at stream sequence \\d+\\)$`))]);
    expect((await request(bed.baseUrl, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    await bed.project();
    const gone = await kinitro('admin', 'key', 'list', '--revoked', '--json');
    expect(JSON.parse(gone.out[0]!).items).toEqual([expect.objectContaining({ keyId, revoked: true })]);
  });

  it('names the flag for a bad role or id (exit 2), and reports the API’s refusal (exit 1)', async () => {
    const badRole = await kinitro('admin', 'key', 'create', '--name', 'x', '--role', 'root');
    expect([badRole.code, badRole.err.join(' ')]).toEqual([2, expect.stringContaining('--role must be one of admin, validator, viewer')]);
    const badId = await kinitro('admin', 'key', 'revoke', '--id', 'nope');
    expect([badId.code, badId.err.join(' ')]).toEqual([2, expect.stringContaining('--id must be a key id')]);
    const unknown = await kinitro('admin', 'key', 'revoke', '--id', '0192f1a0-7c3e-7907-8a1b-000000000999');
    expect([unknown.code, unknown.err.join(' ')]).toEqual([1, expect.stringContaining('answered 404')]);
    const out: string[] = [];
    const err: string[] = [];
    const noKey = await runCli(commands, ['admin', 'key', 'list'], { out: (l) => out.push(l), err: (l) => err.push(l), env: { KINITRO_API_URL: bed.baseUrl } });
    expect([noKey, err.join(' ')]).toEqual([2, expect.stringContaining('--api-key is required (or set KINITRO_API_KEY)')]);
  });
});
