import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Measurement where no cgroup is available: samples the launcher's process tree in /proc. CPU is the sum
 * of user + system time of the live tree including the children each member has reaped; memory is the
 * larger of the tree's summed PSS (shared pages split between their sharers, so 30 forks of one interpreter
 * are not counted 30 times; VmRSS where smaps_rollup is missing) and any member's VmHWM (its own
 * kernel-kept peak). Both are lower bounds: what happens after the last sample is missed.
 * (Node cannot read a child's rusage without a native addon, and this kernel has no
 * /proc/<pid>/task/<tid>/children, so the tree is found by scanning every /proc/<pid>/stat.)
 */
export class ProcSampler {
  private cpu = 0;
  private peak = 0;

  constructor(private readonly rootPid: number) {}

  get cpuSeconds(): number {
    return this.cpu;
  }

  get peakMemoryBytes(): number {
    return this.peak;
  }

  async sample(): Promise<void> {
    const stats = await readStats();
    const tree = descendants(this.rootPid, stats);
    let ticks = 0;
    let resident = 0;
    let hwm = 0;
    for (const pid of tree) {
      ticks += stats.get(pid)?.ticks ?? 0;
      const memory = await readMemory(pid);
      resident += memory.resident;
      hwm = Math.max(hwm, memory.hwm);
    }
    this.cpu = Math.max(this.cpu, ticks / clockTicks());
    this.peak = Math.max(this.peak, resident, hwm);
  }
}

interface Stat {
  ppid: number;
  ticks: number;
}

const readStats = async (): Promise<Map<number, Stat>> => {
  const stats = new Map<number, Stat>();
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (name) => {
      const text = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
      if (text === null) return;
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15).map(Number);
      stats.set(Number(name), { ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime });
    }),
  );
  return stats;
};

const descendants = (root: number, stats: Map<number, Stat>): number[] => {
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const queue = stats.has(root) ? [root] : [];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
};

const readMemory = async (pid: number): Promise<{ resident: number; hwm: number }> => {
  const read = (file: string) => readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => null);
  const [status, rollup] = await Promise.all([read('status'), read('smaps_rollup')]);
  const kib = (text: string | null, field: string) => {
    const found = text === null ? undefined : new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
    return found === undefined ? null : Number(found) * 1024;
  };
  return { resident: kib(rollup, 'Pss') ?? kib(status, 'VmRSS') ?? 0, hwm: kib(status, 'VmHWM') ?? 0 };
};

let ticksPerSecond: number | undefined;
const clockTicks = (): number => (ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);
