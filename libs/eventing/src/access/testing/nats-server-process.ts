import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's nats-server 2.9.10, the version the project targets (NATS_SERVER overrides it). */
const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

export interface NatsServerProcess {
  readonly url: string;
  /** What the server wrote so far (its log goes to stderr). */
  log(): string;
  /** Kills the server and removes its directory (store included). */
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 right now (for a server's cluster listener, say). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const exited = (child: ChildProcess): Promise<void> => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

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
  const child = spawn(options.binary ?? NATS_SERVER, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.includes('Server is ready')) resolve();
      };
      child.stderr!.on('data', check);
      child.once('exit', (code) => reject(new Error(`nats-server exited (${code}) before it was ready:\n${output}`)));
      child.once('error', reject);
      check();
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `nats://127.0.0.1:${port}`, log: () => output, stop };
};
