import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProjectionBed } from '../../../libs/read-models/src/testing/harness.js';

/** The compiled projector (`npm run test:faults` builds first). */
const MAIN = resolve('dist/apps/projector/src/main.js');

/** Spawns compiled projectors on a bed's streams and schema; `killAll` ends whatever is still running. */
export const projectorProcesses = (bed: () => ProjectionBed) => {
  const children: ChildProcess[] = [];
  return {
    start: (env: Record<string, string> = {}): ChildProcess => {
      if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build)`);
      const { natsUrl, databaseUrl, namespace } = bed();
      const child = spawn(process.execPath, [MAIN], {
        env: {
          ...process.env,
          NATS_URL: natsUrl,
          DATABASE_URL: databaseUrl,
          DATABASE_SCHEMA: namespace,
          KINITRO_NAMESPACE: namespace,
          PROJECTOR_BATCH_SIZE: '5',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    killAll: () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
};
