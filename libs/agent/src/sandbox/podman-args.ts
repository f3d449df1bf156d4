import { INSIDE } from './agent-env.js';
import type { SandboxLimits, SandboxSpec } from './types.js';

export interface PodmanInvocation {
  spec: SandboxSpec;
  limits: SandboxLimits;
  env: Readonly<Record<string, string>>;
  /** Image with the agent runtime (Python + grpcio + numpy); it must already be present: no pull at run time. */
  image: string;
  /** OCI runtime; crun starts fastest and supports cgroup v2 delegation. */
  runtime: string;
  uid: number;
  gid: number;
  name: string;
}

/**
 * `podman run` for one agent: no network namespace beyond loopback, read-only root, every capability
 * dropped, no privilege gain, the same rlimits as bwrap (`--ulimit`), memory (swap included) and pids in
 * the container's cgroup, and stdio passed straight through (`passthrough`, podman >= 4) so the supervisor
 * drains it and podman keeps no log of a flood.
 */
export const podmanArgs = ({ spec, limits, env, image, runtime, uid, gid, name }: PodmanInvocation): string[] => [
  'run',
  '--rm',
  `--name=${name}`,
  `--runtime=${runtime}`,
  '--pull=never',
  '--network=none',
  '--read-only',
  '--cap-drop=all',
  '--security-opt=no-new-privileges',
  `--user=${uid}:${gid}`,
  `--memory=${limits.memoryBytes}`,
  `--memory-swap=${limits.memoryBytes}`,
  `--pids-limit=${limits.processes}`,
  `--ulimit=cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
  `--ulimit=as=${limits.addressSpaceBytes}:${limits.addressSpaceBytes}`,
  `--ulimit=nofile=${limits.openFiles}:${limits.openFiles}`,
  `--ulimit=nproc=${limits.processes}:${limits.processes}`,
  `--ulimit=fsize=${limits.fileSizeBytes}:${limits.fileSizeBytes}`,
  '--ulimit=core=0:0',
  `--tmpfs=/tmp:rw,nosuid,nodev,size=${limits.tmpBytes},mode=1777`,
  `--shm-size=${limits.tmpBytes}`,
  `--volume=${spec.agentDir}:${INSIDE.agentDir}:ro`,
  ...(spec.runtimeDirs ?? []).map((dir) => `--volume=${dir}:${dir}:ro`),
  `--volume=${spec.socketDir}:${INSIDE.socketDir}:rw`,
  `--workdir=${INSIDE.agentDir}`,
  '--log-driver=passthrough',
  '--init',
  ...Object.entries(env).map(([key, value]) => `--env=${key}=${value}`),
  image,
  spec.command,
  ...(spec.args ?? []),
];
