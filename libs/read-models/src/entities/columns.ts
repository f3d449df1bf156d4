import type { ValueTransformer } from 'typeorm';

/**
 * Sequences, blocks, byte counts and seeds are int8 in Postgres, which pg returns as text. They stay far below
 * 2^53, so entities expose them as numbers. Stake (numeric) is the exception: it stays a decimal string.
 */
export const int8: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
