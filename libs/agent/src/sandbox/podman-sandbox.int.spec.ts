import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from './limits.js';
import { PodmanSandbox } from './podman-sandbox.js';

// Needs podman and an agent-runtime image (AGENT_SANDBOX_IMAGE, with python3 at /usr/bin/python3);
// neither exists on this project's machines, where the argument list is pinned by launcher-args.spec.ts.
const podmanPresent = (() => {
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const image = process.env.AGENT_SANDBOX_IMAGE;
const reason = !podmanPresent ? 'podman is not installed' : image === undefined ? 'AGENT_SANDBOX_IMAGE is not set' : null;

(reason === null ? describe : describe.skip)(`podman sandbox${reason === null ? '' : ` (skipped: ${reason})`}`, () => {
  it('has no network and ends a sleeper at the wall-clock deadline', async () => {
    const sandbox = await PodmanSandbox.create({
      podmanPath: 'podman',
      image: image!,
      runtime: 'crun',
      uid: 65534,
      gid: 65534,
      defaultLimits: { ...DEFAULT_LIMITS, wallSeconds: 20 },
    });
    const socketDir = await mkdtemp(join(tmpdir(), 'kinitro-socket-'));
    const agentDir = fileURLToPath(new URL('./fixtures', import.meta.url));
    try {
      const network = await (await sandbox.start({ command: '/usr/bin/python3', args: ['hostile.py', 'network'], agentDir, socketDir })).exited;
      expect(JSON.parse(network.output.stdoutTail).nats).not.toBe('ok');
      const sleeper = await (
        await sandbox.start({ command: '/usr/bin/python3', args: ['hostile.py', 'sleep'], agentDir, socketDir, limits: { wallSeconds: 2 } })
      ).exited;
      expect(sleeper.kind).toBe('wall-time-limit');
    } finally {
      await rm(socketDir, { recursive: true, force: true });
    }
  });
});
