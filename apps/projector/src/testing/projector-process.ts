import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProjectionBed } from '../../../../libs/read-models/src/testing/harness.js';

/** The compiled entry point (`npm test` builds first; alone: `npx tsc -p tsconfig.build.json`). */
const MAIN = resolve('dist/apps/projector/src/main.js');

export const requireBuiltProjector = (): void => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx tsc -p tsconfig.build.json)`);
};

export interface ProjectorProcessOptions {
  /** `projector` subcommand and flags (none: the live projector). */
  args?: string[];
  stdout?: 'ignore' | 'pipe';
  /** Environment over the bed's (NATS, Postgres, schema, namespace). */
  env?: Record<string, string>;
  /** Node's own flags, before the entry point (`--max-old-space-size=…`). */
  nodeFlags?: string[];
}

/** The projector app as a real process on the bed's NATS namespace and read-model schema. */
export const spawnProjector = (bed: ProjectionBed, { args = [], stdout = 'ignore', env = {}, nodeFlags = [] }: ProjectorProcessOptions = {}): ChildProcess =>
  spawn(process.execPath, [...nodeFlags, MAIN, ...args], {
    env: {
      ...process.env,
      NATS_URL: bed.natsUrl,
      DATABASE_URL: bed.databaseUrl,
      DATABASE_SCHEMA: bed.namespace,
      KINITRO_NAMESPACE: bed.namespace,
      ...env,
    },
    stdio: ['ignore', stdout, 'inherit'],
  });
