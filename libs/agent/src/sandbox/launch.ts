import { SandboxCgroup, type CgroupPlace, type CgroupSupport } from './cgroups.js';
import { supervise, type LaunchPlan } from './supervisor.js';
import type { MeasurementSource, ProcessOutcome, SandboxedProcess } from './types.js';

const sourceOf = (place: CgroupPlace | null): MeasurementSource => (place === null ? 'proc-sampling' : `cgroup-v${place.version}`);

/** What the cgroups enforce on this machine, and what they cannot (with why), for `describe()`. */
export const describeCgroups = ({ layout, unavailable }: CgroupSupport): { enforces: string[]; warnings: string[] } => {
  const enforces: string[] = [];
  if (layout.memory) enforces.push(`memory: cgroup v${layout.memory.version} limit (swap included) on the whole tree, under ${layout.memory.parent}`);
  if (layout.pids) enforces.push(`processes: cgroup v${layout.pids.version} pids.max on the whole tree, under ${layout.pids.parent}`);
  enforces.push(
    layout.cpu ? `cpu accounting: cgroup v${layout.cpu.version} (exact, whole tree)` : 'cpu accounting: sampled from /proc (a lower bound)',
    layout.memory ? `peak memory: cgroup v${layout.memory.version} (exact)` : 'peak memory: sampled from /proc (a lower bound)',
  );
  const warnings = unavailable.map((line) => `cgroup ${line}`);
  if (!layout.memory) warnings.push('memory of the whole tree is enforced only from /proc samples every 100 ms (besides RLIMIT_AS per process)');
  if (!layout.pids) warnings.push('processes are bounded only by RLIMIT_NPROC');
  return { enforces, warnings };
};

/** Launches under fresh cgroups where available; a cgroup we cannot create is our failure, not the agent's. */
export const launchInCgroups = async (
  support: CgroupSupport,
  plan: Omit<LaunchPlan, 'cgroup' | 'cgroupVersion' | 'cleanUp'> & { cleanUp?: () => Promise<void> },
): Promise<SandboxedProcess> => {
  const { layout } = support;
  const wanted = layout.memory ?? layout.pids ?? layout.cpu ?? layout.kill;
  let cgroup: SandboxCgroup | null = null;
  if (wanted) {
    try {
      cgroup = await SandboxCgroup.create(layout, plan.limits);
    } catch (error) {
      return failedLaunch(`cannot create the sandbox's cgroups: ${(error as Error).message}`);
    }
  }
  return supervise({
    ...plan,
    cgroup,
    cgroupVersion: { cpu: sourceOf(layout.cpu), memory: sourceOf(layout.memory) },
    cleanUp: async () => {
      await cgroup?.remove();
      await plan.cleanUp?.();
    },
  });
};

/** A process that never ran: its outcome is a `sandbox-failure`. */
export const failedLaunch = (message: string): SandboxedProcess => {
  const outcome: ProcessOutcome = {
    kind: 'sandbox-failure',
    message,
    measurements: { wallSeconds: 0, cpuSeconds: null, peakMemoryBytes: null, source: { cpu: 'none', memory: 'none' } },
    output: { stdoutTail: '', stderrTail: '', stdoutBytes: 0, stderrBytes: 0 },
  };
  return { pid: -1, exited: Promise.resolve(outcome), kill: () => undefined };
};
