import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '#platform';

/** The built app, whether this file runs built or from source (jest). */
const EVALUATOR_MAIN = join(PACKAGE_ROOT, 'dist/apps/evaluator/src/main.js');

export interface EvaluatorProcess {
  readonly id: string;
  readonly child: ChildProcess;
  /** What it printed (its logs at warn and above, and its start-up lines). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node dist/apps/evaluator/src/main.js` (the build must exist) with `env`, and resolves once it consumes the
 * work stream: evaluators are separate processes in production, competing for the same work items.
 */
export const startEvaluatorProcess = async (id: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<EvaluatorProcess> => {
  if (!existsSync(EVALUATOR_MAIN)) throw new Error(`${EVALUATOR_MAIN} is missing: run npm run build first`);
  const child = spawn(process.execPath, [EVALUATOR_MAIN], { env: { PATH: process.env.PATH ?? '', ...env, EVALUATOR_ID: id }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (!output.includes('consuming episode work')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`evaluator ${id} exited before consuming work:\n${output}`);
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`evaluator ${id} did not start consuming within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { id, child, output: () => output, stop };
};
