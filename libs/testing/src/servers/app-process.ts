import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface AppProcess {
  readonly child: ChildProcess;
  /** What it printed, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** Sends `signal` unless it already exited, and resolves once it has. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface AppProcessOptions {
  /** Names the process in errors. */
  name: string;
  /** The compiled entry point (`npx tsc -p tsconfig.build.json` writes dist/). */
  main: string;
  /** Its whole environment: nothing of the test runner's is passed unless given here. */
  env: Record<string, string | undefined>;
  /** Printed once the app is up (its start-up line). */
  ready: RegExp;
  readyTimeoutMs?: number;
}

/**
 * Starts `node <main>` as the apps run in production and resolves once its output matches `ready`; an app that
 * exits or stays silent first fails the start with what it printed. Tests kill it (`stop('SIGKILL')`) to crash it.
 */
export const startAppProcess = async ({ name, main, env, ready, readyTimeoutMs = 30_000 }: AppProcessOptions): Promise<AppProcess> => {
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx tsc -p tsconfig.build.json)`);
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (!ready.test(output)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output, stop };
};
