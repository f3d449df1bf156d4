import { StartupError } from '#platform';
import type { ReplayOptions } from '#read-models';

export type ProjectorCommand = { mode: 'live' } | { mode: 'replay'; options: ReplayOptions };

/** A command line the projector does not understand: one line, exit code 2. */
export class UsageError extends StartupError {
  constructor(message: string) {
    super(message, 2);
  }
}

export const USAGE = 'usage: main.js [replay [--to-seq N] [--until ISO-8601]]';

/** `[]` → live; `replay [--to-seq N] [--until ISO]` → a replay, bounded when either flag is given. */
export const parseArgs = (argv: readonly string[]): ProjectorCommand => {
  const [command, ...rest] = argv;
  if (command === undefined) return { mode: 'live' };
  if (command !== 'replay') throw new UsageError(`unknown command "${command}". ${USAGE}`);
  const options: ReplayOptions = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new UsageError(`${flag} needs a value. ${USAGE}`);
    if (flag === '--to-seq') {
      if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--to-seq must be a positive integer, got "${value}"`);
      options.toSequence = Number(value);
    } else if (flag === '--until') {
      const until = new Date(value);
      if (Number.isNaN(until.getTime())) throw new UsageError(`--until must be an ISO-8601 instant, got "${value}"`);
      options.until = until;
    } else {
      throw new UsageError(`unknown option "${flag}". ${USAGE}`);
    }
  }
  return { mode: 'replay', options };
};
