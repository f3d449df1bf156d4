import { intFlag, UsageError, type FlagSpecs } from '../args.js';
import { command, EXIT, type CliIo } from '../command.js';

/** The apps `kinitro up` can run, in start order: the projector prepares the streams and tables the others wait for. */
export const UP_APPS = ['projector', 'api', 'chain-monitor', 'scheduler', 'validator', 'evaluator'] as const;
export type UpApp = (typeof UP_APPS)[number];

const flags = {
  apps: {
    kind: 'value',
    default: UP_APPS.join(','),
    description: 'apps to run, comma-separated (an owner without a validator leaves out validator,evaluator)',
  },
  evaluators: { kind: 'value', default: '1', description: 'evaluator instances (they share the work queue)' },
  'health-port': {
    kind: 'value',
    env: 'KINITRO_UP_HEALTH_PORT',
    default: '9100',
    description: 'first /health and /metrics port; each app but the API takes the next one (the API serves both on API_PORT)',
  },
} satisfies FlagSpecs;

export interface UpProcess {
  name: string;
  app: UpApp;
  /** Where /health/ready and /metrics answer (the API: API_PORT, its own HTTP port). */
  healthPort?: number;
}

/** Which app instances run where; pure, so the plan is tested without starting anything. */
/** The validator's hotkey variables under the evaluator's names (none when the validator has none either). */
export const evaluatorHotkeyFrom = (env: Record<string, string>): Record<string, string> => {
  if (env.VALIDATOR_HOTKEY_URI) return { EVALUATOR_HOTKEY_URI: env.VALIDATOR_HOTKEY_URI };
  if (!env.VALIDATOR_KEYSTORE) return {};
  const password = env.VALIDATOR_KEYSTORE_PASSWORD_ENV;
  return { EVALUATOR_KEYSTORE: env.VALIDATOR_KEYSTORE, ...(password ? { EVALUATOR_KEYSTORE_PASSWORD_ENV: password } : {}) };
};

export const planUp = (apps: string, evaluators: number, firstHealthPort: number): UpProcess[] => {
  const chosen = apps
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const unknown = chosen.filter((a) => !(UP_APPS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new UsageError(`--apps: unknown app ${unknown.join(', ')} (known: ${UP_APPS.join(', ')})`);
  if (chosen.length === 0) throw new UsageError('--apps: name at least one app');
  let port = firstHealthPort;
  return UP_APPS.filter((a) => chosen.includes(a)).flatMap((app): UpProcess[] => {
    if (app === 'api') return [{ name: 'api', app }];
    if (app === 'evaluator') return Array.from({ length: evaluators }, (_, i) => ({ name: `evaluator-${i + 1}`, app, healthPort: port++ }));
    return [{ name: app, app, healthPort: port++ }];
  });
};

/**
 * `kinitro up`: every app of the platform in this one process, for a single machine: each app in its own worker
 * thread running its own entry point with the operator's environment (NATS_URL, DATABASE_URL, NETUID, …), so they
 * share nothing but NATS and Postgres, exactly as separate processes would. SIGINT/SIGTERM stop them all after the
 * work in hand. Standard output is the apps' logs alone (JSON lines with LOG_FORMAT=json); `up`'s own lines go to
 * standard error. An app that exits on its own (a refused variable, a lost lease) stops the others, and `up` exits 1
 * naming it, for the supervisor (systemd, a container restart policy) to start it again.
 */
export const up = command({
  path: ['up'],
  summary: 'run every app of the platform in this process (a single machine), until SIGINT/SIGTERM',
  flags,
  async run(f, io: CliIo) {
    const evaluators = intFlag('evaluators', f.evaluators!, 64);
    const plan = planUp(f.apps!, evaluators, intFlag('health-port', f['health-port']!));
    const { Worker } = await import('node:worker_threads');
    const { join } = await import('node:path');
    const { PACKAGE_ROOT } = await import('../../../../libs/platform/src/version.js');
    const entry = (app: UpApp) => join(PACKAGE_ROOT, 'dist', 'apps', app, 'src', 'main.js');
    const workerFile = new URL(import.meta.url.endsWith('.ts') ? './app-worker.ts' : './app-worker.js', import.meta.url);
    const { existsSync } = await import('node:fs');
    const missing = plan.map((p) => entry(p.app)).filter((file) => !existsSync(file));
    if (missing.length > 0) {
      io.err(`kinitro up: the apps are not built (${missing[0]} is missing): run npm run build`);
      return EXIT.failed;
    }

    let stopping = false;
    const exits = plan.map((p) => {
      const env: Record<string, string> = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined));
      if (p.healthPort !== undefined) env.HEALTH_PORT = String(p.healthPort);
      // Each evaluator names itself, so heartbeats and EpisodeStarted say which one ran an episode.
      if (p.app === 'evaluator' && !env.EVALUATOR_ID) env.EVALUATOR_ID = `${io.env.HOSTNAME ?? 'up'}/${p.name}`;
      // On one machine the evaluators run the local validator's work, so they sign with its hotkey unless told otherwise.
      if (p.app === 'evaluator' && !env.EVALUATOR_HOTKEY_URI && !env.EVALUATOR_KEYSTORE) Object.assign(env, evaluatorHotkeyFrom(env));
      const worker = new Worker(workerFile, { workerData: { main: entry(p.app) }, env, argv: [], name: p.name });
      io.err(
        `${p.name}: started${p.healthPort === undefined ? ` (health and metrics on API_PORT ${env.API_PORT ?? '3000'})` : ` (health and metrics on ${env.HEALTH_HOST ?? '127.0.0.1'}:${p.healthPort})`}`,
      );
      return {
        p,
        worker,
        exited: new Promise<number>((resolve) => worker.once('exit', resolve).once('error', (error) => (io.err(`${p.name}: ${error.message}`), resolve(1)))),
      };
    });
    const stopAll = () => {
      if (stopping) return;
      stopping = true;
      for (const { worker } of exits) worker.postMessage('stop');
    };
    let failed: string | undefined;
    for (const { p, exited } of exits) {
      void exited.then((code) => {
        if (stopping) return;
        failed = `${p.name} exited with code ${code}`;
        io.err(`kinitro up: ${failed}; stopping the others`);
        stopAll();
      });
    }
    const signalled = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.err(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      io.err(`${signal}: stopping every app after the work in hand`);
      stopAll();
    };
    process.on('SIGINT', signalled);
    process.on('SIGTERM', signalled);
    try {
      const codes = await Promise.all(exits.map((e) => e.exited));
      for (const [i, code] of codes.entries()) if (code !== 0) io.err(`${exits[i]!.p.name}: exited with code ${code}`);
      return failed || codes.some((c) => c !== 0) ? EXIT.failed : EXIT.ok;
    } finally {
      process.off('SIGINT', signalled);
      process.off('SIGTERM', signalled);
    }
  },
});
