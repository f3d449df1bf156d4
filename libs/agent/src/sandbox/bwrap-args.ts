import { INSIDE } from './agent-env.js';
import { PRLIMIT, prlimitArgs } from './rlimits.js';
import type { SandboxLimits, SandboxSpec } from './types.js';

/** How the host's top-level library and binary directories look: merged-/usr symlinks or real directories. */
export type RootEntry = { kind: 'symlink'; target: string } | { kind: 'dir' };
export type RootEntries = Readonly<Record<string, RootEntry>>;
export const ROOT_ENTRY_NAMES = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'] as const;

/** Read-only pieces of /etc the dynamic linker and Debian's library alternatives (libblas for numpy) need. */
const ETC_FOR_LINKER = ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/alternatives'];

export interface BwrapInvocation {
  spec: SandboxSpec;
  limits: SandboxLimits;
  env: Readonly<Record<string, string>>;
  /** uid/gid the agent has inside its user namespace. */
  uid: number;
  gid: number;
  root: RootEntries;
}

/**
 * bwrap's arguments, then prlimit's, then the agent's command line. Every namespace is unshared, so the
 * agent has a network namespace of its own with nothing but a loopback on which nothing listens: the host's
 * 127.0.0.1 (NATS, Postgres) is another network. Only /usr, the linker's /etc files, the runtime dirs and
 * the agent dir are visible, all read-only; /tmp and /dev/shm are private sized tmpfs; the socket dir is
 * the only host directory it can write.
 */
export const bwrapArgs = ({ spec, limits, env, uid, gid, root }: BwrapInvocation): string[] => [
  '--unshare-all',
  // --unshare-all only tries the user namespace; without it --uid and --cap-drop could not hold.
  '--unshare-user',
  '--uid',
  String(uid),
  '--gid',
  String(gid),
  '--hostname',
  'agent',
  '--die-with-parent',
  '--new-session',
  '--cap-drop',
  'ALL',
  '--clearenv',
  ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value]),
  '--ro-bind',
  '/usr',
  '/usr',
  ...ROOT_ENTRY_NAMES.flatMap((name) => {
    const entry = root[name];
    if (entry === undefined) return [];
    return entry.kind === 'symlink' ? ['--symlink', entry.target, name] : ['--ro-bind', name, name];
  }),
  ...ETC_FOR_LINKER.flatMap((path) => ['--ro-bind-try', path, path]),
  ...(spec.runtimeDirs ?? []).flatMap((dir) => ['--ro-bind', dir, dir]),
  '--ro-bind',
  spec.agentDir,
  INSIDE.agentDir,
  '--bind',
  spec.socketDir,
  INSIDE.socketDir,
  '--proc',
  '/proc',
  '--dev',
  '/dev',
  '--perms',
  '1777',
  '--size',
  String(limits.tmpBytes),
  '--tmpfs',
  '/tmp',
  '--perms',
  '1777',
  '--size',
  String(limits.tmpBytes),
  '--tmpfs',
  '/dev/shm',
  // bwrap's root and /dev are unsized tmpfs the agent would own: freeze them once everything is mounted.
  '--remount-ro',
  '/dev',
  '--remount-ro',
  '/',
  '--chdir',
  INSIDE.agentDir,
  '--json-status-fd',
  '3',
  PRLIMIT,
  ...prlimitArgs(limits),
  spec.command,
  ...(spec.args ?? []),
];
