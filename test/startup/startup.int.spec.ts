import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { topology } from '#contracts';
import { applyTopology, connect, deleteTopology, type JetStreamConnection } from '#eventing';
import { dropSchemas, testNamespace, testServices } from '#testing';

/**
 * The built apps started the way an operator starts them, with one thing wrong each time: the one line they print,
 * and their exit code. `npm test` builds first.
 */
const main = (app: string) => resolve(`dist/apps/${app}/src/main.js`);
const LIFECYCLE = resolve('dist/libs/platform/src/lifecycle.js');
const APPS = ['api', 'projector', 'scheduler', 'chain-monitor', 'validator', 'evaluator'] as const;

interface Exit {
  code: number | null;
  output: string;
  errors: string[];
}

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Each signal is sent `afterMs` after the output first shows `once` (after the start when `once` is omitted). */
const run = (args: string[], env: Record<string, string>, signals: { once?: string; afterMs: number; signal: NodeJS.Signals }[] = []): Promise<Exit> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH!, NETUID: '1', VALIDATOR_HOTKEY_URI: '//Alice', EVALUATOR_HOTKEY_URI: '//Alice', LOG_LEVEL: 'log', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timers: NodeJS.Timeout[] = [];
    const pending = [...signals];
    const arm = () => {
      for (const s of pending.splice(0).filter((s) => s.once === undefined || plain(output).includes(s.once) || (pending.push(s), false))) {
        timers.push(setTimeout(() => child.kill(s.signal), s.afterMs));
      }
    };
    const collect = (chunk: Buffer) => {
      output += String(chunk);
      arm();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    arm();
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', fail);
    child.on('exit', (code) => {
      [...timers, killer].forEach(clearTimeout);
      const text = plain(output);
      done({ code, output: text, errors: text.split('\n').filter((line) => / ERROR /.test(line)) });
    });
  });

const freePort = (): Promise<number> =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

const NO_STACK = /^\s+at /m;

let natsUrl: string;
let databaseUrl: string;
let nats: JetStreamConnection;
let unused: number;
const namespace = testNamespace('startup');
const t = topology(namespace);
const fresh = testNamespace('startup owner');

beforeAll(async () => {
  for (const app of APPS) if (!existsSync(main(app))) throw new Error(`${main(app)} is missing: build first (npm run build)`);
  ({ natsUrl, databaseUrl } = await testServices());
  nats = await connect(natsUrl, 'startup-test');
  await applyTopology(nats.jsm, t, { replicas: 1 });
  unused = await freePort();
});
afterAll(async () => {
  await deleteTopology(nats.jsm, t);
  await deleteTopology(nats.jsm, topology(fresh));
  await nats.close();
  await dropSchemas(databaseUrl, namespace);
  await dropSchemas(databaseUrl, fresh);
});

describe('an app that cannot start says why in one line, names the variable and exits 1', () => {
  it.each(APPS)('%s with a bad variable', async (app) => {
    const exit = await run([main(app)], { NATS_URL: 'http://127.0.0.1:4222' });
    expect(exit.code).toBe(1);
    expect(exit.errors).toHaveLength(1);
    expect(exit.errors[0]).toMatch(/invalid configuration: NATS_URL: must be a URL with protocol nats: or tls: or ws: or wss:$/);
    expect(exit.output).not.toMatch(NO_STACK);
  });

  it.each(APPS)('%s with nothing listening at NATS_URL', async (app) => {
    const exit = await run([main(app)], { NATS_URL: `nats://127.0.0.1:${unused}`, SUBTENSOR_CONNECT_TIMEOUT_MS: '20000' });
    expect(exit.code).toBe(1);
    expect(exit.errors).toEqual([expect.stringMatching(new RegExp(`cannot reach NATS at nats://127\\.0\\.0\\.1:${unused} \\(.+\\): check NATS_URL$`))]);
    expect(exit.output).not.toMatch(NO_STACK);
  });

  it.each(['api', 'projector'])('%s with nothing listening at DATABASE_URL', async (app) => {
    const exit = await run([main(app)], {
      NATS_URL: natsUrl,
      KINITRO_NAMESPACE: namespace,
      DATABASE_SCHEMA: namespace,
      DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${unused}/postgres`,
    });
    expect(exit.code).toBe(1);
    expect(exit.errors).toEqual([
      expect.stringMatching(
        new RegExp(`cannot reach Postgres at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${unused}/postgres \\(ECONNREFUSED\\): check DATABASE_URL$`),
      ),
    ]);
    expect(exit.output).not.toMatch(NO_STACK);
  });

  it('api on streams with other replicas than KINITRO_STREAM_REPLICAS', async () => {
    const exit = await run([main('api')], { NATS_URL: natsUrl, KINITRO_NAMESPACE: namespace, DATABASE_URL: databaseUrl, KINITRO_STREAM_REPLICAS: '3' });
    expect(exit.code).toBe(1);
    expect(exit.errors).toHaveLength(1);
    expect(exit.errors[0]).toContain(`stream ${t.eventsStream} has num_replicas 1, the topology wants 3 (KINITRO_STREAM_REPLICAS)`);
    expect(exit.output).not.toMatch(NO_STACK);
  });

  it('chain-monitor with no node at SUBTENSOR_WS_URL: it never "lost" what it never reached', async () => {
    const exit = await run([main('chain-monitor')], {
      NATS_URL: natsUrl,
      KINITRO_NAMESPACE: namespace,
      SUBTENSOR_WS_URL: `ws://127.0.0.1:${unused}`,
      SUBTENSOR_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(exit.code).toBe(1);
    expect(exit.errors).toEqual([
      expect.stringMatching(new RegExp(`cannot reach the Subtensor node at ws://127\\.0\\.0\\.1:${unused}/? \\(.+\\): check SUBTENSOR_WS_URL$`)),
    ]);
    expect(exit.output).toContain(`no Subtensor node answers at ws://127.0.0.1:${unused} yet`);
    expect(exit.output).not.toContain('lost the Subtensor node');
    expect(exit.output).not.toMatch(NO_STACK);
  });

  it('validator without a hotkey: names the variables that give one', async () => {
    const exit = await run([main('validator')], { NATS_URL: natsUrl, KINITRO_NAMESPACE: namespace, VALIDATOR_HOTKEY_URI: '' });
    expect(exit.code).toBe(1);
    expect(exit.errors).toEqual([expect.stringMatching(/VALIDATOR_HOTKEY_URI: is required \(or VALIDATOR_KEYSTORE\)/)]);
    expect(exit.output).not.toMatch(NO_STACK);
  });

  it('projector with an unknown command: the usage in one line, exit 2', async () => {
    const exit = await run([main('projector'), 'rewind'], {});
    expect(exit.code).toBe(2);
    expect(exit.errors).toEqual([expect.stringMatching(/unknown command "rewind"\. usage: main\.js \[replay/)]);
  });
});

describe('shutdown', () => {
  it('projector, the topology owner, creates the streams on a fresh namespace, then stops cleanly on SIGTERM (exit 0)', async () => {
    const exit = await run(
      [main('projector')],
      { NATS_URL: natsUrl, KINITRO_NAMESPACE: fresh, DATABASE_SCHEMA: fresh, DATABASE_URL: databaseUrl, KINITRO_STREAM_REPLICAS: '1' },
      [{ once: `projecting ${fresh} from sequence`, afterMs: 200, signal: 'SIGTERM' }],
    );
    expect(exit.output).toContain('SIGTERM: stopping after the work in hand');
    expect(exit.code).toBe(0);
    const events = await nats.jsm.streams.info(topology(fresh).eventsStream);
    expect(events.config).toMatchObject({ num_replicas: 1, deny_delete: true, deny_purge: true });
  });

  /**
   * An app whose close never finishes, on the same runUntilSignalled every app's main uses. It says "started" on the
   * next turn of the event loop, once runUntilSignalled holds what start returned: a signal before that is a signal
   * during start-up, which exits at once by design.
   */
  const stuck = `import { runUntilSignalled } from ${JSON.stringify(LIFECYCLE)};
runUntilSignalled('Stuck', async (logger) => { setTimeout(() => logger.log('started'), 0); return { close: () => new Promise(() => {}) }; });
setInterval(() => {}, 1000);`;

  it('exits 1 when the app does not stop within SHUTDOWN_TIMEOUT_MS', async () => {
    const exit = await run(['--input-type=module', '-e', stuck], { SHUTDOWN_TIMEOUT_MS: '300' }, [{ once: 'started', afterMs: 0, signal: 'SIGTERM' }]);
    expect(exit).toMatchObject({ code: 1, output: expect.stringContaining('SIGTERM: stopping after the work in hand (at most 300 ms') });
    expect(exit.errors).toEqual([expect.stringMatching(/did not stop within 300 ms \(SHUTDOWN_TIMEOUT_MS\): exiting$/)]);
  });

  it('exits 1 at once on a second signal', async () => {
    const exit = await run(['--input-type=module', '-e', stuck], { SHUTDOWN_TIMEOUT_MS: '60000' }, [
      { once: 'started', afterMs: 0, signal: 'SIGTERM' },
      { once: 'SIGTERM: stopping', afterMs: 0, signal: 'SIGINT' },
    ]);
    expect(exit).toMatchObject({ code: 1, output: expect.stringContaining('SIGINT again: exiting without waiting for the work in hand') });
  });
});
