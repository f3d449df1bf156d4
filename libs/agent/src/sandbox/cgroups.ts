import { randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SandboxLimits } from './types.js';

/**
 * cgroups for one sandbox, on cgroup v2, v1 or a hybrid of both (this project's machines mount the v1
 * controllers and a controller-less cgroup2 at /sys/fs/cgroup/unified). Each sandbox gets a child of the
 * evaluator's own cgroup in every hierarchy used, so limits nest under whatever confines the evaluator.
 */

export type CgroupVersion = 1 | 2;
export type CgroupRole = 'memory' | 'pids' | 'cpu';

/** Where a role's sandbox cgroups are created: the evaluator's own cgroup in that hierarchy. */
export interface CgroupPlace {
  version: CgroupVersion;
  parent: string;
}

export interface CgroupLayout {
  memory: CgroupPlace | null;
  pids: CgroupPlace | null;
  cpu: CgroupPlace | null;
  /** A cgroup2 parent whose children have `cgroup.kill` (kills the whole tree at once, Linux >= 5.14). */
  kill: string | null;
}

const ROLE_CONTROLLER_V1: Record<CgroupRole, string> = { memory: 'memory', pids: 'pids', cpu: 'cpuacct' };

/**
 * Where each role could live, from `/proc/self/mounts` and `/proc/self/cgroup`, before any probing:
 * v2 where the controller is enabled for our children (cpu accounting needs none: `cpu.stat` is core),
 * otherwise v1.
 */
export const planCgroups = (mounts: string, selfCgroup: string, v2SubtreeControl: string | null): CgroupLayout => {
  const v1Mounts = new Map<string, string>();
  let v2Mount: string | null = null;
  for (const line of mounts.split('\n')) {
    const [, mountPoint, type, options = ''] = line.split(' ');
    if (mountPoint === undefined) continue;
    if (type === 'cgroup2') v2Mount = mountPoint;
    if (type === 'cgroup') for (const option of options.split(',')) v1Mounts.set(option, mountPoint);
  }
  const v1Paths = new Map<string, string>();
  let v2Path: string | null = null;
  for (const line of selfCgroup.split('\n').filter(Boolean)) {
    const [, id, controllers = '', path] = /^(\d+):([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    if (id === '0' && controllers === '') v2Path = path;
    else for (const controller of controllers.split(',')) v1Paths.set(controller, path);
  }
  const v2Dir = v2Mount !== null && v2Path !== null ? under(v2Mount, v2Path) : null;
  const v2Controllers = new Set((v2SubtreeControl ?? '').trim().split(/\s+/).filter(Boolean));
  const place = (role: CgroupRole): CgroupPlace | null => {
    if (v2Dir !== null && (role === 'cpu' || v2Controllers.has(role))) return { version: 2, parent: v2Dir };
    const controller = ROLE_CONTROLLER_V1[role];
    const mountPoint = v1Mounts.get(controller);
    const path = v1Paths.get(controller);
    return mountPoint !== undefined && path !== undefined ? { version: 1, parent: under(mountPoint, path) } : null;
  };
  return { memory: place('memory'), pids: place('pids'), cpu: place('cpu'), kill: v2Dir };
};

/** A cgroup path inside its mount, without the trailing slash of the root cgroup `/`. */
const under = (mountPoint: string, path: string) => resolve(mountPoint, `.${path}`);

const readOrNull = (path: string) => readFile(path, 'utf8').catch(() => null);

export interface CgroupSupport {
  layout: CgroupLayout;
  /** Why a role is not available (not mounted, not writable), one line each. */
  unavailable: string[];
}

export const CGROUPS_DISABLED: CgroupSupport = {
  layout: { memory: null, pids: null, cpu: null, kill: null },
  unavailable: ['memory, pids, cpu: disabled by configuration'],
};

/** Plans, then proves each place writable by creating and removing a probe child. */
export const detectCgroups = async (): Promise<CgroupSupport> => {
  const [mounts, selfCgroup] = await Promise.all([readOrNull('/proc/self/mounts'), readOrNull('/proc/self/cgroup')]);
  const planned = planCgroups(mounts ?? '', selfCgroup ?? '', null);
  const subtree = planned.kill === null ? null : await readOrNull(join(planned.kill, 'cgroup.subtree_control'));
  const plan = planCgroups(mounts ?? '', selfCgroup ?? '', subtree);
  const unavailable: string[] = [];
  const probe = async (parent: string, mustHave: string): Promise<string | null> => {
    const dir = join(parent, `kinitro-probe-${randomUUID()}`);
    try {
      await mkdir(dir);
    } catch (error) {
      return `cannot create a cgroup under ${parent} (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    try {
      await access(join(dir, mustHave));
      return null;
    } catch {
      return `${join(parent, '…', mustHave)} does not exist`;
    } finally {
      await rmdir(dir).catch(() => undefined);
    }
  };
  const layout: CgroupLayout = { memory: null, pids: null, cpu: null, kill: null };
  const files: Record<CgroupRole, Record<CgroupVersion, string>> = {
    memory: { 1: 'memory.limit_in_bytes', 2: 'memory.max' },
    pids: { 1: 'pids.max', 2: 'pids.max' },
    cpu: { 1: 'cpuacct.usage', 2: 'cpu.stat' },
  };
  for (const role of ['memory', 'pids', 'cpu'] as const) {
    const place = plan[role];
    if (place === null) {
      unavailable.push(`${role}: no cgroup hierarchy for it is mounted`);
      continue;
    }
    const problem = await probe(place.parent, files[role][place.version]);
    if (problem === null) layout[role] = place;
    else unavailable.push(`${role}: ${problem}`);
  }
  if (plan.kill !== null && (await probe(plan.kill, 'cgroup.kill')) === null) layout.kill = plan.kill;
  return { layout, unavailable };
};

const ROLE_FILES = {
  memoryLimit: { 1: ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes'], 2: ['memory.max', 'memory.swap.max'] },
  memoryPeak: { 1: 'memory.max_usage_in_bytes', 2: 'memory.peak' },
  oomEvents: { 1: 'memory.oom_control', 2: 'memory.events' },
} as const;

type Dir = [CgroupVersion, string];
interface SandboxCgroupDirs {
  memory?: Dir;
  pids?: Dir;
  cpu?: Dir;
  kill?: string;
}

/** The cgroups of one running sandbox. */
export class SandboxCgroup {
  private constructor(private readonly dirs: SandboxCgroupDirs) {}

  /** Creates the children and writes the limits; on failure removes what it created and throws. */
  static async create(layout: CgroupLayout, limits: SandboxLimits): Promise<SandboxCgroup> {
    const name = `kinitro-sandbox-${randomUUID()}`;
    const dirs: SandboxCgroupDirs = {};
    for (const role of ['memory', 'pids', 'cpu'] as const) {
      const place = layout[role];
      if (place !== null) dirs[role] = [place.version, join(place.parent, name)];
    }
    if (layout.kill !== null) dirs.kill = join(layout.kill, name);
    const cgroup = new SandboxCgroup(dirs);
    try {
      for (const dir of cgroup.distinctDirs()) await mkdir(dir);
      if (dirs.memory) {
        const [version, dir] = dirs.memory;
        const [limitFile, swapFile] = ROLE_FILES.memoryLimit[version];
        await writeFile(join(dir, limitFile), String(limits.memoryBytes));
        // v1 memsw counts memory + swap (so equals the limit: no swap); v2 swap.max counts swap alone.
        await writeFile(join(dir, swapFile), version === 1 ? String(limits.memoryBytes) : '0').catch(ignoreMissing);
      }
      if (dirs.pids) await writeFile(join(dirs.pids[1], 'pids.max'), String(limits.processes));
      return cgroup;
    } catch (error) {
      await cgroup.remove();
      throw error;
    }
  }

  /** The `cgroup.procs` files the launcher writes its pid into before it execs anything untrusted. */
  procsFiles(): string[] {
    return this.distinctDirs().map((dir) => join(dir, 'cgroup.procs'));
  }

  async cpuSeconds(): Promise<number | null> {
    if (!this.dirs.cpu) return null;
    const [version, dir] = this.dirs.cpu;
    if (version === 1) {
      const nanoseconds = await readOrNull(join(dir, 'cpuacct.usage'));
      return nanoseconds === null ? null : Number(nanoseconds) / 1e9;
    }
    const usage = keyed(await readOrNull(join(dir, 'cpu.stat'))).get('usage_usec');
    return usage === undefined ? null : usage / 1e6;
  }

  async peakMemoryBytes(): Promise<number | null> {
    if (!this.dirs.memory) return null;
    const [version, dir] = this.dirs.memory;
    const peak = await readOrNull(join(dir, ROLE_FILES.memoryPeak[version]));
    return peak === null ? null : Number(peak);
  }

  async oomKills(): Promise<number> {
    if (!this.dirs.memory) return 0;
    const [version, dir] = this.dirs.memory;
    return keyed(await readOrNull(join(dir, ROLE_FILES.oomEvents[version]))).get('oom_kill') ?? 0;
  }

  /** Kills every process in the sandbox's cgroups: `cgroup.kill` where there is one, else SIGKILL each
   * member until none is left (a forking tree may add members between two reads). */
  async killAll(): Promise<void> {
    if (this.dirs.kill) await writeFile(join(this.dirs.kill, 'cgroup.kill'), '1').catch(() => undefined);
    for (let round = 0; round < 20; round++) {
      const pids = await this.members();
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async members(): Promise<number[]> {
    const lists = await Promise.all(this.procsFiles().map(readOrNull));
    return [...new Set(lists.flatMap((list) => (list ?? '').split('\n').filter(Boolean).map(Number)))];
  }

  /** Removes the children; retries while the kernel still tears down the last members. */
  async remove(): Promise<void> {
    for (const dir of this.distinctDirs().reverse()) {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          await rmdir(dir);
          break;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') break;
          if (code !== 'EBUSY' || attempt === 49) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }
  }

  private distinctDirs(): string[] {
    const { memory, pids, cpu, kill } = this.dirs;
    return [...new Set([memory?.[1], pids?.[1], cpu?.[1], kill].filter((dir): dir is string => dir !== undefined))];
  }
}

const ignoreMissing = (error: NodeJS.ErrnoException) => {
  if (error.code !== 'ENOENT') throw error;
};

/** `key value` lines (cpu.stat, memory.events, memory.oom_control). */
const keyed = (text: string | null): Map<string, number> =>
  new Map(
    (text ?? '')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .flatMap((fields): [string, number][] => (fields.length === 2 ? [[fields[0]!, Number(fields[1])]] : [])),
  );
