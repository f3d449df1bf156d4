import type { z } from 'zod';

/** Converts the payload of `fromVersion` into the shape of `fromVersion + 1`. Pure; never sees I/O. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

export interface EventDefinition<T extends string = string, A extends string = string, S extends z.ZodType = z.ZodType> {
  readonly type: T;
  readonly aggregate: A;
  /** The version this build writes. Older stored versions are upcast on read. */
  readonly schemaVersion: number;
  readonly schema: S;
  /** `upcasters[v]` lifts version v to v + 1; one entry for every version below `schemaVersion`. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  /**
   * The payload's own id of the aggregate instance it belongs to, as the parts of a key (one part for most, e.g.
   * `[competitionId]`; `[netuid, hotkey]` for a commitment). The envelope's aggregateId must be them joined by ':'
   * (see `aggregateIdOf`), so the subject, the envelope and the payload can never name different aggregates.
   */
  aggregateKey(data: z.output<S>): readonly (string | number)[];
  readonly description: string;
}

export const defineEvent = <T extends string, A extends string, S extends z.ZodType>(def: {
  type: T;
  aggregate: A;
  schema: S;
  aggregateKey: (data: z.output<S>) => readonly (string | number)[];
  description: string;
  schemaVersion?: number;
  upcasters?: Record<number, Upcaster>;
}): EventDefinition<T, A, S> => {
  const schemaVersion = def.schemaVersion ?? 1;
  const upcasters = def.upcasters ?? {};
  for (let v = 1; v < schemaVersion; v++) {
    if (!upcasters[v]) throw new Error(`${def.type}: missing upcaster from v${v} to v${v + 1}`);
  }
  return { ...def, schemaVersion, upcasters };
};
