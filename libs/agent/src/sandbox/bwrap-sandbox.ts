import { execFile } from 'node:child_process';
import { chown, lstat, mkdtemp, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { agentEnvironment, INSIDE } from './agent-env.js';
import { bwrapArgs, ROOT_ENTRY_NAMES, type RootEntries, type RootEntry } from './bwrap-args.js';
import { CGROUPS_DISABLED, detectCgroups, type CgroupSupport } from './cgroups.js';
import { SandboxSpecError, SandboxUnavailableError } from './errors.js';
import { describeCgroups, launchInCgroups } from './launch.js';
import { resolveLimits } from './limits.js';
import { PRLIMIT } from './rlimits.js';
import type { AgentPaths, Sandbox, SandboxDescription, SandboxedProcess, SandboxLimits, SandboxSpec } from './types.js';

export interface BwrapSandboxOptions {
  bwrapPath: string;
  /** The agent's uid/gid, inside its user namespace and, when the evaluator runs as root, on the host. */
  uid: number;
  gid: number;
  defaultLimits: SandboxLimits;
  /** False: no cgroups even where writable (measure and enforce memory from /proc samples). Default true. */
  useCgroups?: boolean;
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * bubblewrap: every namespace unshared, read-only mounts, no capabilities, rlimits by prlimit inside and
 * cgroups where writable. As root, bwrap itself is started through setpriv as the unprivileged uid: a
 * user namespace mapped onto host root would keep root's exemption from RLIMIT_NPROC and make any escape
 * an escape as root.
 */
export class BwrapSandbox implements Sandbox {
  private constructor(
    private readonly options: BwrapSandboxOptions,
    private readonly root: RootEntries,
    private readonly cgroups: CgroupSupport,
    private readonly hostRoot: boolean,
  ) {}

  /** Checks that bwrap, prlimit (and setpriv as root) exist and that a trivial sandbox runs; throws
   * `SandboxUnavailableError` naming what is missing, so a broken host never blames an agent. */
  static async create(options: BwrapSandboxOptions): Promise<BwrapSandbox> {
    const hostRoot = process.getuid?.() === 0;
    for (const tool of [options.bwrapPath, PRLIMIT, ...(hostRoot ? [SETPRIV] : [])]) {
      await promisify(execFile)(tool, ['--version']).catch((error: Error) => {
        throw new SandboxUnavailableError(`bwrap sandbox: ${tool} does not run (${error.message.split('\n')[0]})`);
      });
    }
    const cgroups = options.useCgroups === false ? CGROUPS_DISABLED : await detectCgroups();
    const sandbox = new BwrapSandbox(options, await readRootEntries(), cgroups, hostRoot);
    await sandbox.selfTest();
    return sandbox;
  }

  describe(): SandboxDescription {
    const { uid, gid, defaultLimits } = this.options;
    const cgroups = describeCgroups(this.cgroups);
    return {
      mode: 'bwrap',
      isolated: true,
      enforces: [
        'network: none (every namespace unshared: the agent has its own empty loopback, the host 127.0.0.1 is unreachable)',
        `filesystem: read-only /usr, linker files of /etc, runtime dirs and the agent dir (${INSIDE.agentDir}); private tmpfs /tmp and /dev/shm; only the socket dir (${INSIDE.socketDir}) writable`,
        `identity: uid ${uid} gid ${gid} inside a user namespace${this.hostRoot ? `, also uid ${uid} on the host (setpriv from root)` : ', mapped to the evaluator uid on the host'}`,
        'capabilities: none (--cap-drop ALL), no_new_privs, new session, dies with the evaluator',
        'rlimits (prlimit inside the sandbox): cpu, address space, open files, processes, file size, no core files',
        'wall clock: deadline on the whole tree; output: stdout+stderr limit, bounded tail kept',
        ...cgroups.enforces,
      ],
      warnings: cgroups.warnings,
      defaultLimits,
    };
  }

  pathsInside(): AgentPaths {
    return INSIDE;
  }

  async start(spec: SandboxSpec): Promise<SandboxedProcess> {
    const limits = resolveLimits(this.options.defaultLimits, spec.limits);
    const { uid, gid, bwrapPath } = this.options;
    const env = agentEnvironment(spec, this.pathsInside());
    // The agent creates its socket in the socket dir, so that dir must belong to the agent's host uid.
    const socketDir = await stat(spec.socketDir).catch(() => null);
    if (!socketDir?.isDirectory()) throw new SandboxSpecError(`socketDir ${spec.socketDir} is not a directory`);
    if (this.hostRoot) await chown(spec.socketDir, uid, gid);
    const bwrap = [bwrapPath, ...bwrapArgs({ spec, limits, env, uid, gid, root: this.root })];
    const argv = this.hostRoot ? [SETPRIV, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', ...bwrap] : bwrap;
    return launchInCgroups(this.cgroups, {
      argv,
      env: { PATH: '/usr/bin:/bin' },
      limits,
      statusFd: true,
      launcherFailureExitCode: null,
      signalAsExitCode: true,
      sampleProc: true,
    });
  }

  private async selfTest(): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'kinitro-bwrap-selftest-'));
    try {
      const running = await this.start({ command: '/usr/bin/true', agentDir: '/usr', socketDir: dir, limits: { wallSeconds: 10 } });
      const outcome = await running.exited;
      if (outcome.kind !== 'exited' || outcome.exitCode !== 0) {
        const detail = outcome.kind === 'sandbox-failure' ? outcome.message : `${outcome.kind}: ${outcome.output.stderrTail}`;
        throw new SandboxUnavailableError(`bwrap sandbox: a trivial sandbox does not run (${detail.trim()})`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

const readRootEntries = async (): Promise<RootEntries> => {
  const entries: Record<string, RootEntry> = {};
  for (const name of ROOT_ENTRY_NAMES) {
    const stat = await lstat(name).catch(() => null);
    if (stat?.isSymbolicLink()) entries[name] = { kind: 'symlink', target: await readlink(name) };
    else if (stat?.isDirectory()) entries[name] = { kind: 'dir' };
  }
  return entries;
};
