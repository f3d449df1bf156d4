import { execFile as execFileCb } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const execFile = promisify(execFileCb);

/** Debian's PostgreSQL 15 binaries (POSTGRES_BIN overrides the folder). */
const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  /** Trust auth, user postgres, database postgres, on loopback. */
  readonly url: string;
  readonly port: number;
  /** Stops the server fast (`pg_ctl stop -m immediate`: no checkpoint, as a crash), keeping its data. */
  pause(): Promise<void>;
  /** Starts the stopped server again on the same port and data directory. */
  resume(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/**
 * A Postgres cluster of the test's own (initdb in a temp directory, a free loopback port, trust auth), for tests
 * that stop the database: never the shared one. initdb refuses root, so as root it runs as the `postgres` user.
 */
export const startPostgresCluster = async (): Promise<PostgresCluster> => {
  const dir = await mkdtemp(join(tmpdir(), 'kinitro-pg-'));
  await chmod(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const asOwner = (command: string, args: string[]) =>
    process.getuid?.() === 0 ? execFile('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args]) : execFile(join(BIN, command), args);
  const ctl = (...args: string[]) => asOwner('pg_ctl', ['-D', data, '-w', '-t', '60', ...args]);
  await asOwner('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=50`;
  const start = () => ctl('-o', options, '-l', join(dir, 'log'), 'start');
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pause: async () => void (await ctl('-m', 'immediate', 'stop')),
    resume: async () => void (await start()),
    stop: async () => {
      await ctl('-m', 'immediate', 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
};
