import type { AgentResourceRequests } from '#domain';
import type { SandboxLimits } from '../sandbox/types.js';

const MiB = 1024 * 1024;

export interface ResourceGrant {
  /** The limits the agent runs under: the evaluator's, lowered where the manifest asks for less. */
  readonly limits: SandboxLimits;
  /** One line per request not granted as asked (over a maximum, or not provided), for the miner and the log. */
  readonly notes: readonly string[];
}

/**
 * Maps a manifest's `resources` onto the sandbox limits, with the evaluator's limits as the maxima (never raised):
 * - `memoryMiB` → `memoryBytes` (the cgroup memory limit, or the sampled peak under rlimits only);
 * - `cpus` → `cpuSeconds` = cpus × `wallSeconds`: keeping that many cores busy for the whole session fits (the
 *   evaluator's `cpuSeconds` over `wallSeconds` is the most cores it grants);
 * - `gpus`: none are provided by the sandbox, so a request is noted, not granted (the agent runs on CPU).
 * Processes, files and output have no request field in the manifest: the evaluator's limits hold.
 */
export const grantResources = (requests: AgentResourceRequests | undefined, maxima: SandboxLimits): ResourceGrant => {
  const notes: string[] = [];
  const bounded = (field: string, asked: number, maximum: number, unit: (n: number) => string): number => {
    if (asked <= maximum) return asked;
    notes.push(`resources.${field}: ${unit(asked)} requested, ${unit(maximum)} is this evaluator's maximum`);
    return maximum;
  };
  let { memoryBytes, cpuSeconds } = maxima;
  if (requests?.memoryMiB !== undefined) {
    memoryBytes = bounded('memoryMiB', requests.memoryMiB * MiB, maxima.memoryBytes, (bytes) => `${(bytes / MiB).toFixed(0)} MiB`);
  }
  if (requests?.cpus !== undefined) {
    const maxCpus = maxima.cpuSeconds / maxima.wallSeconds;
    const cpus = bounded('cpus', requests.cpus, maxCpus, (n) => `${Number(n.toFixed(2))} CPUs`);
    cpuSeconds = Math.max(1, Math.min(maxima.cpuSeconds, Math.round(cpus * maxima.wallSeconds)));
  }
  if (requests?.gpus) notes.push(`resources.gpus: ${requests.gpus} requested, this evaluator provides none (the agent runs on CPU)`);
  return { limits: { ...maxima, memoryBytes, cpuSeconds }, notes };
};
