import { join } from 'node:path';
import { PACKAGE_ROOT } from '#platform';
import { startAppProcess, type AppProcess } from '#testing';

/** The built app, whether this file runs built or from source (jest). */
const EVALUATOR_MAIN = join(PACKAGE_ROOT, 'dist/apps/evaluator/src/main.js');

export interface EvaluatorProcess extends AppProcess {
  readonly id: string;
}

/**
 * Starts `node dist/apps/evaluator/src/main.js` (the build must exist) with `env`, and resolves once it consumes the
 * work stream: evaluators are separate processes in production, competing for the same work items.
 */
export const startEvaluatorProcess = async (id: string, env: Record<string, string>, readyTimeoutMs = 30_000): Promise<EvaluatorProcess> => ({
  id,
  ...(await startAppProcess({
    name: `evaluator ${id}`,
    main: EVALUATOR_MAIN,
    env: { PATH: process.env.PATH ?? '', ...env, EVALUATOR_ID: id },
    ready: /consuming episode work/,
    readyTimeoutMs,
  })),
});
