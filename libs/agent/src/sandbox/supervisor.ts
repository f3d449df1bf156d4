import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { SandboxCgroup } from './cgroups.js';
import { classify, decodeShellStatus, type StopReason } from './outcome.js';
import { OutputChannel } from './output-channel.js';
import { OutputTail } from './output-tail.js';
import { ProcSampler } from './proc-sampler.js';
import type { Measurements, MeasurementSource, ProcessOutcome, SandboxedProcess, SandboxLimits } from './types.js';

export interface LaunchPlan {
  /** The host command line: the launcher (bwrap, podman) and everything after it. */
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd?: string;
  limits: SandboxLimits;
  /** Joined before anything else runs; null when cgroups are not in force. */
  cgroup: SandboxCgroup | null;
  cgroupVersion: { cpu: MeasurementSource; memory: MeasurementSource };
  /** The launcher writes bwrap's `--json-status-fd` objects to fd 3. */
  statusFd: boolean;
  /** The exit code by which the launcher itself reports its own failure (podman: 125; our cgroup join: 125). */
  launcherFailureExitCode: number | null;
  /** Whether the launcher reports a child killed by signal N as exit code 128 + N (bwrap, podman). */
  signalAsExitCode: boolean;
  /** Measure by sampling /proc where the cgroup does not (false for podman: its tree is not ours). */
  sampleProc: boolean;
  /** Also run on every kill, for trees that are not our children (podman's container). */
  onKill?: () => Promise<void>;
  /** Runs after the process is gone, before `exited` settles (removing the cgroup). */
  cleanUp: () => Promise<void>;
}

const POLL_MS = 100;
const STATUS_FD_LIMIT = 64 * 1024;

/**
 * Joins the sandbox's cgroups from inside the launched process before it execs the launcher, so not one
 * instruction of the agent runs outside them. The paths are ours, passed as arguments, never interpolated.
 */
export const JOIN_FAILURE_EXIT_CODE = 125;
const JOIN_CGROUPS = `for f do [ "$f" = -- ] && break; echo $$ > "$f" || exit ${JOIN_FAILURE_EXIT_CODE}; shift; done; shift; exec "$@"`;

/** After the launcher exits, how long its output may take to reach end of file (a leftover holder is killed). */
const OUTPUT_GRACE_MS = 2000;

/** Launches, drains output into bounded tails, enforces the wall and CPU budgets and reports the outcome. */
export const supervise = async (plan: LaunchPlan): Promise<SandboxedProcess> => {
  const { limits, cgroup } = plan;
  const [command, ...args] = cgroup ? ['/bin/sh', '-c', JOIN_CGROUPS, 'sh', ...cgroup.procsFiles(), '--', ...plan.argv] : plan.argv;
  if (command === undefined) throw new Error('sandbox launch plan has an empty argv');
  const stdout = new OutputTail(limits.tailBytes);
  const stderr = new OutputTail(limits.tailBytes);
  let stopped: StopReason | null = null;
  // Once the tree is gone its pid and process group may be reused: nothing is killed after that.
  let finished = false;
  const checkOutput = () => {
    if (stdout.bytes + stderr.bytes > limits.outputBytes) stop({ by: 'output' });
  };
  const channels = [await OutputChannel.open(stdout, checkOutput), await OutputChannel.open(stderr, checkOutput)] as const;
  const startedAt = process.hrtime.bigint();
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      stdio: ['ignore', channels[0].writeFd, channels[1].writeFd, plan.statusFd ? 'pipe' : 'ignore'],
      env: plan.env,
      cwd: plan.cwd,
      detached: true,
    });
  } catch (error) {
    // Synchronous refusals (invalid arguments) are the caller's bug: release everything and rethrow.
    for (const channel of channels) {
      channel.closeWriteEnd();
      channel.destroy();
    }
    await plan.cleanUp();
    throw error;
  }
  for (const channel of channels) channel.closeWriteEnd();
  // Scanning /proc costs allocations on every tick: only where a cgroup does not already measure.
  const needsSampling = plan.cgroupVersion.cpu === 'proc-sampling' || plan.cgroupVersion.memory === 'proc-sampling';
  const sampler = plan.sampleProc && needsSampling && child.pid !== undefined ? new ProcSampler(child.pid) : null;
  let status = '';

  const killOurTree = () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    void cgroup?.killAll();
  };
  function stop(reason: StopReason) {
    if (finished) return;
    stopped ??= reason;
    killOurTree();
    void plan.onKill?.();
  }

  (child.stdio[3] as Readable | null)?.on('data', (chunk: Buffer) => {
    if (status.length < STATUS_FD_LIMIT) status += chunk.toString('utf8');
  });

  const wallTimer = setTimeout(() => stop({ by: 'wall-time' }), limits.wallSeconds * 1000);
  // The per-process RLIMIT_CPU acts first; this catches a tree of processes that together exceed it.
  const treeCpuBudget = limits.cpuSeconds + 1;
  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      await sampler?.sample();
      const cpu = (await cgroup?.cpuSeconds()) ?? sampler?.cpuSeconds ?? 0;
      if (cpu > treeCpuBudget) stop({ by: 'cpu-time' });
      // Without a memory cgroup the tree's memory limit is enforced from the samples.
      if (sampler && plan.cgroupVersion.memory === 'proc-sampling' && sampler.peakMemoryBytes > limits.memoryBytes) stop({ by: 'memory' });
    } catch {
      // A sample that could not be read is retried at the next tick; the deadlines do not depend on it.
    } finally {
      polling = false;
    }
  };
  const poller = setInterval(() => void poll(), POLL_MS);

  const launcherEnded = new Promise<{ code: number | null; signal: string | null; spawnError: Error | null }>((resolve) => {
    child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
    child.once('close', (code, signal) => resolve({ code, signal, spawnError: null }));
  });

  const exited = (async (): Promise<ProcessOutcome> => {
    const { code, signal, spawnError } = await launcherEnded;
    const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    clearTimeout(wallTimer);
    clearInterval(poller);
    killOurTree(); // whatever the launcher left behind goes with it
    const grace = new Promise((resolve) => setTimeout(resolve, OUTPUT_GRACE_MS).unref());
    await Promise.race([Promise.all(channels.map((channel) => channel.ended)), grace]);
    for (const channel of channels) channel.destroy();
    finished = true;
    await sampler?.sample().catch(() => undefined);
    const cgroupCpu = (await cgroup?.cpuSeconds()) ?? null;
    const cgroupPeak = (await cgroup?.peakMemoryBytes()) ?? null;
    const measurements: Measurements = {
      wallSeconds,
      cpuSeconds: cgroupCpu ?? sampler?.cpuSeconds ?? null,
      peakMemoryBytes: cgroupPeak ?? sampler?.peakMemoryBytes ?? null,
      source: {
        cpu: cgroupCpu !== null ? plan.cgroupVersion.cpu : sampler ? 'proc-sampling' : 'none',
        memory: cgroupPeak !== null ? plan.cgroupVersion.memory : sampler ? 'proc-sampling' : 'none',
      },
    };
    const oomKills = (await cgroup?.oomKills()) ?? 0;
    await plan.cleanUp().catch(() => undefined);
    const decoded = code !== null && plan.signalAsExitCode ? decodeShellStatus(code) : { exitCode: code, signal };
    const output = { stdoutTail: stdout.text(), stderrTail: stderr.text(), stdoutBytes: stdout.bytes, stderrBytes: stderr.bytes };
    const ending = {
      launchFailure: launchFailure(spawnError, plan, status, code, stopped, output.stderrTail),
      exitCode: decoded.exitCode,
      signal: decoded.signal ?? signal,
      stopped,
      oomKills,
    };
    return classify(ending, limits, measurements, output);
  })();

  return {
    pid: child.pid ?? -1,
    exited,
    kill: (reason = 'killed by the evaluator') => stop({ by: 'caller', reason }),
  };
};

/**
 * A failure of ours, not the agent's: the launcher could not be spawned, it exited with its own failure
 * code (podman's 125, or 125 from a failed cgroup join), or bwrap exited without ever reporting the
 * agent's exit code (its set-up failed).
 */
const launchFailure = (
  spawnError: Error | null,
  plan: LaunchPlan,
  status: string,
  code: number | null,
  stopped: StopReason | null,
  stderrTail: string,
): string | null => {
  if (spawnError) return `cannot start the sandbox launcher: ${spawnError.message}`;
  // Killed by a signal: by us (stopped) or by the kernel's OOM killer, which the outcome reports.
  if (stopped !== null || code === null) return null;
  const failed = code === plan.launcherFailureExitCode || (plan.statusFd && !status.includes('"exit-code"'));
  if (!failed) return null;
  const lastLine = stderrTail.trim().split('\n').at(-1) ?? '';
  return `the sandbox did not start the agent (launcher exit code ${code}): ${lastLine}`;
};
