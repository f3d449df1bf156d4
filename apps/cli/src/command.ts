import type { FlagSpecs } from './args.js';

/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Where progress bars are drawn (redrawn in place on a terminal); without it, one `err` line per phase. */
  progress?: { isTTY?: boolean; write(text: string): unknown };
}

export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3 } as const;

export interface Command {
  /** The words that select it, e.g. ['miner', 'commit']. */
  path: readonly string[];
  summary: string;
  flags: FlagSpecs;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
