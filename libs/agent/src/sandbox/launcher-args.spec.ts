import { describe, expect, it } from '@jest/globals';
import { bwrapArgs } from './bwrap-args.js';
import { DEFAULT_LIMITS } from './limits.js';
import { podmanArgs } from './podman-args.js';
import { prlimitArgs } from './rlimits.js';
import type { SandboxLimits, SandboxSpec } from './types.js';

const limits: SandboxLimits = {
  ...DEFAULT_LIMITS,
  cpuSeconds: 30,
  memoryBytes: 1_000_000_000,
  addressSpaceBytes: 4_000_000_000,
  processes: 64,
  openFiles: 256,
  fileSizeBytes: 10_000_000,
  tmpBytes: 50_000_000,
};
const spec: SandboxSpec = {
  command: '/usr/bin/python3',
  args: ['-m', 'agent', '--flag'],
  agentDir: '/srv/agents/abc',
  runtimeDirs: ['/opt/venv'],
  socketDir: '/run/kinitro/abc',
};
const env = { PATH: '/usr/bin', KINITRO_SOCKET_DIR: '/run/agent' };

describe('prlimitArgs', () => {
  it('pins every rlimit: CPU soft/hard one second apart, no core files', () => {
    expect(prlimitArgs(limits)).toEqual(['--cpu=30:31', '--as=4000000000', '--nofile=256', '--nproc=64', '--fsize=10000000', '--core=0', '--']);
  });
});

describe('bwrapArgs', () => {
  it('pins the whole command line', () => {
    const root = { '/bin': { kind: 'symlink', target: 'usr/bin' }, '/lib': { kind: 'symlink', target: 'usr/lib' }, '/lib64': { kind: 'dir' } } as const;
    expect(bwrapArgs({ spec, limits, env, uid: 65534, gid: 65534, root })).toEqual([
      '--unshare-all',
      '--unshare-user',
      '--uid',
      '65534',
      '--gid',
      '65534',
      '--hostname',
      'agent',
      '--die-with-parent',
      '--new-session',
      '--cap-drop',
      'ALL',
      '--clearenv',
      '--setenv',
      'PATH',
      '/usr/bin',
      '--setenv',
      'KINITRO_SOCKET_DIR',
      '/run/agent',
      '--ro-bind',
      '/usr',
      '/usr',
      '--symlink',
      'usr/bin',
      '/bin',
      '--symlink',
      'usr/lib',
      '/lib',
      '--ro-bind',
      '/lib64',
      '/lib64',
      '--ro-bind-try',
      '/etc/ld.so.cache',
      '/etc/ld.so.cache',
      '--ro-bind-try',
      '/etc/ld.so.conf',
      '/etc/ld.so.conf',
      '--ro-bind-try',
      '/etc/ld.so.conf.d',
      '/etc/ld.so.conf.d',
      '--ro-bind-try',
      '/etc/alternatives',
      '/etc/alternatives',
      '--ro-bind',
      '/opt/venv',
      '/opt/venv',
      '--ro-bind',
      '/srv/agents/abc',
      '/agent',
      '--bind',
      '/run/kinitro/abc',
      '/run/agent',
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--perms',
      '1777',
      '--size',
      '50000000',
      '--tmpfs',
      '/tmp',
      '--perms',
      '1777',
      '--size',
      '50000000',
      '--tmpfs',
      '/dev/shm',
      '--remount-ro',
      '/dev',
      '--remount-ro',
      '/',
      '--chdir',
      '/agent',
      '--json-status-fd',
      '3',
      '/usr/bin/prlimit',
      '--cpu=30:31',
      '--as=4000000000',
      '--nofile=256',
      '--nproc=64',
      '--fsize=10000000',
      '--core=0',
      '--',
      '/usr/bin/python3',
      '-m',
      'agent',
      '--flag',
    ]);
  });
});

describe('podmanArgs', () => {
  it('pins the whole command line', () => {
    expect(
      podmanArgs({ spec, limits, env, image: 'ghcr.io/kinitro/agent-runtime:1', runtime: 'crun', uid: 65534, gid: 65534, name: 'kinitro-agent-1' }),
    ).toEqual([
      'run',
      '--rm',
      '--name=kinitro-agent-1',
      '--runtime=crun',
      '--pull=never',
      '--network=none',
      '--read-only',
      '--cap-drop=all',
      '--security-opt=no-new-privileges',
      '--user=65534:65534',
      '--memory=1000000000',
      '--memory-swap=1000000000',
      '--pids-limit=64',
      '--ulimit=cpu=30:31',
      '--ulimit=as=4000000000:4000000000',
      '--ulimit=nofile=256:256',
      '--ulimit=nproc=64:64',
      '--ulimit=fsize=10000000:10000000',
      '--ulimit=core=0:0',
      '--tmpfs=/tmp:rw,nosuid,nodev,size=50000000,mode=1777',
      '--shm-size=50000000',
      '--volume=/srv/agents/abc:/agent:ro',
      '--volume=/opt/venv:/opt/venv:ro',
      '--volume=/run/kinitro/abc:/run/agent:rw',
      '--workdir=/agent',
      '--log-driver=passthrough',
      '--init',
      '--env=PATH=/usr/bin',
      '--env=KINITRO_SOCKET_DIR=/run/agent',
      'ghcr.io/kinitro/agent-runtime:1',
      '/usr/bin/python3',
      '-m',
      'agent',
      '--flag',
    ]);
  });
});
