import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox, sandboxConfigSchema } from './config.js';
import { DEFAULT_LIMITS } from './limits.js';
import { UNSANDBOXED_WARNING } from './process-sandbox.js';
import type { Sandbox } from './types.js';

// The development mode with real processes: limits hold, isolation does not (and it says so).
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const warnings: string[] = [];
let sandbox: Sandbox;
let socketDir: string;

beforeAll(async () => {
  const config = sandboxConfigSchema.parse({ AGENT_SANDBOX: 'process' });
  sandbox = await createSandbox(config, { logger: { warn: (message) => warnings.push(message) }, defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 10 } });
  socketDir = await mkdtemp(join(tmpdir(), 'kinitro-socket-'));
});
afterAll(() => rm(socketDir, { recursive: true, force: true }));

const run = async (behaviour: string, limits = {}) =>
  (await sandbox.start({ command: '/usr/bin/python3', args: ['hostile.py', behaviour], agentDir: FIXTURES, socketDir, limits })).exited;

describe('process sandbox (unsandboxed development mode)', () => {
  it('warns loudly in the log and in describe()', () => {
    expect(warnings).toEqual([UNSANDBOXED_WARNING]);
    expect(sandbox.describe()).toMatchObject({ mode: 'process', isolated: false });
    expect(sandbox.describe().warnings[0]).toBe(UNSANDBOXED_WARNING);
  });

  it('is not isolated: the agent reaches NATS on the host loopback', async () => {
    const outcome = await run('network');
    expect(JSON.parse(outcome.output.stdoutTail).nats).toBe('ok');
  });

  it('still gets a clean environment, rlimits and the wall-clock deadline', async () => {
    const identity = JSON.parse((await run('identity')).output.stdoutTail);
    expect(identity.env.NATS_URL).toBeUndefined();
    expect(identity.env.KINITRO_SOCKET_DIR).toBe(socketDir);
    expect(sandbox.pathsInside({ agentDir: FIXTURES, socketDir })).toEqual({ agentDir: FIXTURES, socketDir });
    expect(await run('burn', { cpuSeconds: 1, wallSeconds: 30 })).toMatchObject({ kind: 'cpu-time-limit', signal: 'SIGXCPU' });
    expect(await run('sleep', { wallSeconds: 1 })).toMatchObject({ kind: 'wall-time-limit' });
  });

  it('reports a signal directly (no 128 + N translation)', async () => {
    expect(await run('segfault')).toMatchObject({ kind: 'signaled', signal: 'SIGSEGV' });
  });
});
