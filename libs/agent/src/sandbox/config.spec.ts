import { describe, expect, it } from '@jest/globals';
import { sandboxConfigSchema } from './config.js';
import { SandboxSpecError } from './errors.js';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';

describe('sandboxConfigSchema', () => {
  it('defaults to bwrap as uid 65534: the unsandboxed mode is never a default', () => {
    expect(sandboxConfigSchema.parse({})).toEqual({
      AGENT_SANDBOX: 'bwrap',
      AGENT_SANDBOX_BWRAP: '/usr/bin/bwrap',
      AGENT_SANDBOX_PODMAN: 'podman',
      AGENT_SANDBOX_OCI_RUNTIME: 'crun',
      AGENT_SANDBOX_UID: 65534,
      AGENT_SANDBOX_GID: 65534,
    });
  });

  it('names the variable that is wrong', () => {
    const issues = (env: Record<string, string>) => sandboxConfigSchema.safeParse(env).error?.issues.map((issue) => issue.path[0]);
    expect(issues({ AGENT_SANDBOX: 'docker' })).toEqual(['AGENT_SANDBOX']);
    expect(issues({ AGENT_SANDBOX: 'podman' })).toEqual(['AGENT_SANDBOX_IMAGE']);
    expect(issues({ AGENT_SANDBOX_UID: '0' })).toEqual(['AGENT_SANDBOX_UID']);
    expect(issues({ AGENT_SANDBOX_BWRAP: 'bwrap' })).toEqual(['AGENT_SANDBOX_BWRAP']);
    expect(issues({ AGENT_SANDBOX: 'podman', AGENT_SANDBOX_IMAGE: 'agent-runtime:1' })).toBeUndefined();
  });
});

describe('resolveLimits', () => {
  it('overrides the defaults per process', () => {
    expect(resolveLimits(DEFAULT_LIMITS, { wallSeconds: 5, tailBytes: 0 })).toEqual({ ...DEFAULT_LIMITS, wallSeconds: 5, tailBytes: 0 });
  });

  it('refuses limits that are not positive integers, naming the limit', () => {
    for (const bad of [{ wallSeconds: 0 }, { memoryBytes: 1.5 }, { cpuSeconds: Number.NaN }, { processes: -1 }, { tailBytes: -1 }]) {
      expect(() => resolveLimits(DEFAULT_LIMITS, bad)).toThrow(SandboxSpecError);
    }
    expect(() => resolveLimits(DEFAULT_LIMITS, { openFiles: 0 })).toThrow('limits.openFiles must be an integer >= 1, got 0');
  });
});
