import { StartupError } from '#platform';
import { projectionNames, type ReplayOptions } from '#read-models';

export type ProjectorCommand = { mode: 'live' } | { mode: 'replay'; options: ReplayOptions };

/** A command line the projector does not understand: one line, exit code 2. */
export class UsageError extends StartupError {
  constructor(message: string) {
    super(message, 2);
  }
}

export const USAGE = 'usage: main.js [replay [--projection NAME]... [--to-seq N] [--until ISO-8601] [--keep]]';

/**
 * `[]` → live; `replay [--projection NAME]... [--to-seq N] [--until ISO] [--keep]` → a replay (of the named
 * projections only, if given), bounded when either bound is given; a bounded
 * replay drops its schema once hashed unless `--keep` leaves it for inspection.
 */
export const parseArgs = (argv: readonly string[]): ProjectorCommand => {
  const [command, ...rest] = argv;
  if (command === undefined) return { mode: 'live' };
  if (command !== 'replay') throw new UsageError(`unknown command "${command}". ${USAGE}`);
  const options: ReplayOptions = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag === '--keep') {
      options.keep = true;
      i -= 1;
      continue;
    }
    if (value === undefined) throw new UsageError(`${flag} needs a value. ${USAGE}`);
    if (flag === '--to-seq') {
      if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`--to-seq must be a positive integer, got "${value}"`);
      options.toSequence = Number(value);
    } else if (flag === '--until') {
      const until = new Date(value);
      if (Number.isNaN(until.getTime())) throw new UsageError(`--until must be an ISO-8601 instant, got "${value}"`);
      options.until = until;
    } else if (flag === '--projection') {
      if (!projectionNames.includes(value)) throw new UsageError(`unknown projection "${value}" (known: ${projectionNames.join(', ')})`);
      options.projections = [...(options.projections ?? []), value];
    } else {
      throw new UsageError(`unknown option "${flag}". ${USAGE}`);
    }
  }
  if (options.keep && options.toSequence === undefined && options.until === undefined) {
    throw new UsageError(`--keep is for a bounded replay (--to-seq or --until): a full replay swaps its schema in. ${USAGE}`);
  }
  return { mode: 'replay', options };
};
