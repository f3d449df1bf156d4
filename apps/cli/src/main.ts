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

// Every refusal has its own message; what reaches here is a bug, reported in one line (the trace on request).
runCli(commands, process.argv.slice(2), io).then(exit, (error: unknown) => {
  const detail = error instanceof Error ? (process.env['KINITRO_DEBUG'] ? (error.stack ?? error.message) : error.message) : String(error);
  process.stderr.write(`kinitro: unexpected error: ${detail}${process.env['KINITRO_DEBUG'] ? '' : ' (set KINITRO_DEBUG=1 for the stack trace)'}\n`);
  exit(1);
});
