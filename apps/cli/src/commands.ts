import type { Command } from './command.js';
import { minerCommit } from './miner/commit.js';
import { minerShowCommitment } from './miner/show-commitment.js';

/** Every `kinitro` subcommand. Add new ones here (e.g. `miner upload`, `miner status`). */
export const commands: readonly Command[] = [minerCommit, minerShowCommitment];
