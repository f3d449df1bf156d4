/** A command line the user got wrong: the message names the flag so they can fix it. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  /** Takes a value (`--netuid 7`), is a switch (`--json`), or takes a value each time it is given (`--validator a --validator b`). */
  kind: 'value' | 'switch' | 'list';
  /** A value flag that may come from an environment variable when absent. */
  env?: string;
  /** A value flag's value when neither the flag nor its variable is given. */
  default?: string;
  required?: boolean;
  description: string;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type Flags<S extends FlagSpecs> = {
  [K in keyof S]: S[K]['kind'] extends 'switch' ? boolean : S[K]['kind'] extends 'list' ? string[] : string | undefined;
};

/** The flag's help line after its description: `(required, env NETUID)`. */
export const flagNotes = (spec: FlagSpec): string => {
  const notes = [
    spec.required ? 'required' : '',
    spec.kind === 'list' ? 'repeatable' : '',
    spec.default ? `default ${spec.default}` : '',
    spec.env ? `env ${spec.env}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return notes ? `${spec.description} (${notes})` : spec.description;
};

/**
 * The value a value flag was given, refused when it is given twice or when what follows the flag is another
 * flag (`--netuid --json`: the user forgot the value). No value of ours starts with "--".
 */
export const flagValue = (name: string, value: string, previous: string | undefined): string => {
  if (previous !== undefined) throw new UsageError(`--${name} given twice`);
  if (value.startsWith('--')) throw new UsageError(`--${name} needs a value, not the flag ${value}`);
  return value;
};

/** A list flag's values so far and the one just given, checked as `flagValue` checks a single one. */
export const listValue = (name: string, value: string, previous: string[] | undefined): string[] => [...(previous ?? []), flagValue(name, value, undefined)];

/** The parsed flags completed from the environment, then the defaults; a required flag still missing is a usage error. */
export const withDefaults = <S extends FlagSpecs>(
  specs: S,
  parsed: Record<string, string | string[] | boolean | undefined>,
  env: Record<string, string | undefined>,
): Flags<S> => {
  const values: Record<string, string | string[] | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const given = parsed[name];
    if (spec.kind === 'list') {
      const list = Array.isArray(given) ? given : [];
      values[name] = list;
      if (spec.required && list.length === 0) throw new UsageError(`--${name} is required (give it once per value)`);
      continue;
    }
    values[name] = spec.kind === 'switch' ? given === true : (given ?? ((spec.env && env[spec.env]) || spec.default));
    if (spec.required && values[name] === undefined) throw new UsageError(`--${name} is required${spec.env ? ` (or set ${spec.env})` : ''}`);
  }
  return values as Flags<S>;
};

/** A non-negative integer flag, or a usage error naming it. */
export const intFlag = (name: string, value: string, max = 65_535): number => {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} must be an integer from 0 to ${max}, not "${value}"`);
  return Number(value);
};

/** An SS58 address flag of a Bittensor account: base58, length, checksum and prefix 42 checked. */
export const ss58Flag = async (name: string, value: string): Promise<string> => {
  // The file itself, not #chain, whose index loads @polkadot/api (a second of start-up `miner status` does not need).
  const { BITTENSOR_SS58_PREFIX, ss58Problem } = await import('../../../libs/chain/src/addresses.js');
  const problem = ss58Problem(value, BITTENSOR_SS58_PREFIX);
  if (problem) throw new UsageError(`--${name} "${value}" is not a Bittensor SS58 address: ${problem}`);
  return value;
};
