import { join } from 'node:path';
import { PACKAGE_ROOT } from '#platform';
import { startAppProcess, type AppProcess } from '#testing';
import { VALIDATOR_URI, type ValidatorTestBed } from './validator-test-bed.js';

/** The built app, whether this file runs built or from source (jest). */
const VALIDATOR_MAIN = join(PACKAGE_ROOT, 'dist/apps/validator/src/main.js');

/**
 * Starts `node dist/apps/validator/src/main.js` (the build must exist) as //Bob on the bed's namespace, and resolves
 * once it has folded the log to its end, re-planned what was lost and started its consumer: main.ts says so in its
 * start line. (The durable's ack floor is no sign of it: an event a killed process held unacked stays below the
 * floor until its ack wait runs out, while the new process has long folded it during its catch-up.)
 */
export const startValidatorProcess = (bed: ValidatorTestBed, env: Record<string, string> = {}): Promise<AppProcess> =>
  startAppProcess({
    name: 'validator',
    main: VALIDATOR_MAIN,
    env: {
      PATH: process.env.PATH ?? '',
      NATS_URL: bed.natsUrl,
      KINITRO_NAMESPACE: bed.topology.namespace,
      VALIDATOR_HOTKEY_URI: VALIDATOR_URI,
      VALIDATOR_MAX_EVALUATIONS: '2',
      PROJECTOR_WAIT_MS: '0',
      LOG_LEVEL: 'log',
      ...env,
    },
    ready: /caught up to sequence \d+/,
    readyTimeoutMs: 20_000,
  });
