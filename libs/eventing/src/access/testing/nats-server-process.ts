import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../testing/src/servers/free-port.js';

/** Debian's nats-server 2.9.10, the version the project targets (NATS_SERVER overrides it). */
const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

export interface NatsServerProcess {
  readonly url: string;
  /** What the server wrote so far (its log goes to stderr). */
  log(): string;
  /** Kills the server and removes its directory (store included). */
  stop(): Promise<void>;
  /** kill -9, then the same server again on the same port and store; resolves once it is ready again. */
  restart(): Promise<void>;
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/**
 * A nats-server of the test's own: JetStream on, its own port on loopback and its own store under a temp directory,
 * with `config` appended to that (an `authorization` block, say). Resolves once the server says it is ready.
 * `binary` runs another nats-server than the system one (a newer one, NATS_SERVER_NEXT).
 */
export const startNatsServer = async (config: string, options: { binary?: string } = {}): Promise<NatsServerProcess> => {
  const dir = await mkdtemp(join(tmpdir(), 'kinitro-nats-'));
  const port = await freePort();
  const file = join(dir, 'nats-server.conf');
  await writeFile(file, `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, 'jetstream')}" }\n${config}\n`);
  let child: ChildProcess;
  let output = '';
  const launch = async () => {
    child = spawn(options.binary ?? NATS_SERVER, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    const from = output.length;
    const current = child;
    current.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.slice(from).includes('Server is ready')) resolve();
      };
      current.stderr!.on('data', check);
      current.once('exit', (code) => reject(new Error(`nats-server exited (${code}) before it was ready:\n${output}`)));
      current.once('error', reject);
      check();
    });
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
  };
  const stop = async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  const restart = async () => {
    await kill();
    await launch();
  };
  return { url: `nats://127.0.0.1:${port}`, log: () => output, stop, restart };
};
