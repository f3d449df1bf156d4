import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AgentClient, type AgentClientOptions } from '../client/client.js';
import { AGENT_SOCKET_VARIABLE } from '../sdk/serve.js';

/** Debian's Python with grpcio, protobuf and numpy (the `python3` on PATH may be another one without them). */
export const PYTHON = '/usr/bin/python3';
export const PYTHON_SDK_DIR = resolve('sdk/python');
/** The compiled TypeScript example agent (`npm test` builds first; alone: `npx tsc -p tsconfig.build.json`). */
export const TS_REACH_AGENT = resolve('dist/libs/agent/src/examples/reach-expert-agent.js');

/** An agent as a plain child process (no sandbox) listening on a socket in a fresh temporary directory. */
export class AgentProcess {
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  private stderrText = '';

  private constructor(
    readonly child: ChildProcess,
    private readonly dir: string,
    readonly socket: string,
  ) {
    this.exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderrText += chunk));
  }

  static start(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): AgentProcess {
    const dir = mkdtempSync(join(tmpdir(), 'kinitro-agent-'));
    const socket = join(dir, 'agent.sock');
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, ...options.env, [AGENT_SOCKET_VARIABLE]: socket },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    return new AgentProcess(child, dir, socket);
  }

  /** `python3 -m kinitro_agent.serve --agent <spec>` run from `cwd` (the agent's directory). */
  static python(agent: string, cwd: string, extraArgs: readonly string[] = []): AgentProcess {
    return AgentProcess.start(PYTHON, ['-m', 'kinitro_agent.serve', '--agent', agent, ...extraArgs], {
      cwd,
      env: { PYTHONPATH: PYTHON_SDK_DIR, PYTHONDONTWRITEBYTECODE: '1' },
    });
  }

  get address(): string {
    return `unix:${this.socket}`;
  }

  get stderr(): string {
    return this.stderrText;
  }

  connect(options: AgentClientOptions = {}): Promise<AgentClient> {
    return AgentClient.connect(this.address, { connectTimeoutMs: 20_000, ...options });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
