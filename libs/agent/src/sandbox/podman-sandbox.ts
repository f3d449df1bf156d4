import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { agentEnvironment, INSIDE } from './agent-env.js';
import { SandboxUnavailableError } from './errors.js';
import { resolveLimits } from './limits.js';
import { podmanArgs } from './podman-args.js';
import { supervise } from './supervisor.js';
import type { AgentPaths, Sandbox, SandboxDescription, SandboxedProcess, SandboxLimits, SandboxSpec } from './types.js';

/** podman's own failures (no such image, bad option) exit 125; 126/127 are the agent command's. */
const PODMAN_FAILURE_EXIT_CODE = 125;

export interface PodmanSandboxOptions {
  podmanPath: string;
  image: string;
  runtime: string;
  uid: number;
  gid: number;
  defaultLimits: SandboxLimits;
}

/**
 * podman + crun for production hosts: the container's cgroup enforces memory and pids, its own network
 * namespace has no interface but loopback. The container's processes are not our children, so CPU and
 * peak memory are not measured here (null); the wall clock is.
 */
export class PodmanSandbox implements Sandbox {
  private constructor(private readonly options: PodmanSandboxOptions) {}

  static async create(options: PodmanSandboxOptions): Promise<PodmanSandbox> {
    await promisify(execFile)(options.podmanPath, ['--version']).catch((error: Error) => {
      throw new SandboxUnavailableError(`podman sandbox: ${options.podmanPath} does not run (${error.message.split('\n')[0]})`);
    });
    return new PodmanSandbox(options);
  }

  describe(): SandboxDescription {
    const { image, runtime, uid, gid, defaultLimits } = this.options;
    return {
      mode: 'podman',
      isolated: true,
      enforces: [
        `container: image ${image}, runtime ${runtime}, never pulled at run time`,
        'network: none (--network=none)',
        `filesystem: read-only root, agent dir read-only at ${INSIDE.agentDir}, private tmpfs /tmp, socket dir read-write at ${INSIDE.socketDir}`,
        `identity: uid ${uid} gid ${gid}; capabilities: none; no-new-privileges`,
        'memory (swap included) and pids: the container cgroup; rlimits: --ulimit cpu, as, nofile, nproc, fsize, core=0',
        'wall clock: deadline on the container; output: stdout+stderr limit, bounded tail kept',
      ],
      warnings: ['cpu seconds and peak memory are not measured in podman mode; an OOM kill is reported as SIGKILL'],
      defaultLimits,
    };
  }

  pathsInside(): AgentPaths {
    return INSIDE;
  }

  async start(spec: SandboxSpec): Promise<SandboxedProcess> {
    const limits = resolveLimits(this.options.defaultLimits, spec.limits);
    const { podmanPath, image, runtime, uid, gid } = this.options;
    const name = `kinitro-agent-${randomUUID()}`;
    const args = podmanArgs({ spec, limits, env: agentEnvironment(spec, this.pathsInside()), image, runtime, uid, gid, name });
    const removeContainer = () =>
      promisify(execFile)(podmanPath, ['rm', '--force', '--time=0', name]).then(
        () => undefined,
        () => undefined,
      );
    return supervise({
      argv: [podmanPath, ...args],
      // podman itself needs HOME, XDG_RUNTIME_DIR and friends; the container gets only `--env`.
      env: Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      limits,
      cgroup: null,
      cgroupVersion: { cpu: 'none', memory: 'none' },
      statusFd: false,
      launcherFailureExitCode: PODMAN_FAILURE_EXIT_CODE,
      signalAsExitCode: true,
      sampleProc: false,
      onKill: removeContainer,
      cleanUp: removeContainer,
    });
  }
}
