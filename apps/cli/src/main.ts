#!/usr/bin/env node
import { runCli } from './cli.js';
import { commands } from './commands.js';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
  env: process.env,
  progress: process.stderr,
};

/** Exits once output is flushed: @polkadot/api keeps timers alive for a while after disconnecting. */
const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

runCli(commands, process.argv.slice(2), io).then(exit, (error: unknown) => {
  process.stderr.write(`kinitro: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exit(1);
});
