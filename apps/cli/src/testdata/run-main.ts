import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The compiled entry point, as `kinitro` runs it (`npm test` builds first; alone: `npx tsc -p tsconfig.build.json`). */
export const MAIN = resolve('dist/apps/cli/src/main.js');

/** Runs `kinitro <argv>` as a real process with exactly `env` (nothing inherited) and collects its output. */
export const runMain = (argv: readonly string[], env: Record<string, string>, nodeArgs: readonly string[] = []) =>
  new Promise<{ code: number | null; out: string; err: string }>((done, fail) => {
    const child = spawn(process.execPath, [...nodeArgs, MAIN, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
  });
