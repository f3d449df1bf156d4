import { ss58Schema } from '#contracts';
/** A command line the user got wrong: the message names the flag so they can fix it. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  /** Takes a value (`--netuid 7`) or is a switch (`--json`). */
  kind: 'value' | 'switch';
  /** A value flag that may come from an environment variable when absent. */
  env?: string;
  required?: boolean;
  description: string;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type Flags<S extends FlagSpecs> = { [K in keyof S]: S[K]['kind'] extends 'switch' ? boolean : string | undefined };

/** Parses `--flag value` / `--flag=value` / `--switch` against the command's flags; anything else is a usage error. */
export const parseFlags = <S extends FlagSpecs>(argv: readonly string[], specs: S, env: Record<string, string | undefined>): Flags<S> => {
  const values: Record<string, string | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) throw new UsageError(`unexpected argument "${token}"`);
    const [name, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown flag --${name}`);
    if (name in values) throw new UsageError(`--${name} given twice`);
    if (spec.kind === 'switch') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      values[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    values[name] = value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.kind === 'switch') values[name] ??= false;
    else values[name] ??= spec.env ? env[spec.env] || undefined : undefined;
    if (spec.required && values[name] === undefined) {
      throw new UsageError(`--${name} is required${spec.env ? ` (or set ${spec.env})` : ''}`);
    }
  }
  return values as Flags<S>;
};

/** A non-negative integer flag, or a usage error naming it. */
export const intFlag = (name: string, value: string, max = 65_535): number => {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${name} must be an integer from 0 to ${max}, not "${value}"`);
  return Number(value);
};

/** An SS58 address flag, checked by the contract's own schema. */
export const ss58Flag = (name: string, value: string): string => {
  if (!ss58Schema.safeParse(value).success) throw new UsageError(`--${name} must be an SS58 address, not "${value}"`);
  return value;
};

export const flagHelp = (specs: FlagSpecs): string =>
  Object.entries(specs)
    .map(([name, spec]) => {
      const flag = spec.kind === 'value' ? `--${name} <value>` : `--${name}`;
      const notes = [spec.required ? 'required' : '', spec.env ? `env ${spec.env}` : ''].filter(Boolean).join(', ');
      return `  ${flag.padEnd(26)} ${spec.description}${notes ? ` (${notes})` : ''}`;
    })
    .join('\n');
