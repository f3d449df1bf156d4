import type { Flags, FlagSpecs } from './args.js';

/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Where progress bars are drawn (redrawn in place on a terminal); without it, progress lines go to `err`. */
  progress?: { isTTY?: boolean; columns?: number; write(text: string): unknown };
}

/** The exit-code contract: 0 done, 1 refused or failed, 2 a usage error (naming the flag), 3 nothing found. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3 } as const;

/** Something outside the command line refused or failed (the chain, the Hub, the API, a file): exit 1 with this message. */
export class Failure extends Error {
  override readonly name = 'Failure';
}

/**
 * A `kinitro` subcommand. Its module imports only what parsing and help need; `run` loads the chain and Hub
 * clients with `import()`, so `kinitro --help` starts without them.
 */
export interface Command<S extends FlagSpecs = FlagSpecs> {
  /** The words that select it, e.g. ['miner', 'commit']. */
  path: readonly string[];
  summary: string;
  flags: S;
  run(flags: Flags<S>, io: CliIo): Promise<number>;
}

/** Declares a command, typing `run`'s flags by its specs. */
export const command = <S extends FlagSpecs>(spec: Command<S>): Command => spec;
