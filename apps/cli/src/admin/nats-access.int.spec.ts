import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fromSeed } from '@nats-io/nkeys';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology } from '#contracts';
import { connect } from '../../../../libs/eventing/src/connection.js';
import { applyTopology } from '../../../../libs/eventing/src/topology.js';
import { startNatsServer, type NatsServerProcess } from '../../../../libs/eventing/src/access/testing/nats-server-process.js';
import { runCli } from '../cli.js';
import { commands } from '../commands.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const PERMISSION = /permissions violation/i;

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

/** `nkey    U…` from a command's output. */
const printed = (out: string, label: string): string => new RegExp(`^${label}\\s+(\\S+)`, 'm').exec(out)![1]!;

let dir: string;
let server: NatsServerProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-cli-access-'));
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the operator's path: validator init, admin nkey, admin nats-config, then a server with that block", () => {
  it('writes each seed 0600, prints its public key, and refuses to overwrite it', async () => {
    const init = await run(['validator', 'init', '--hotkey-uri', '//Alice', '--out', join(dir, 'alice')]);
    expect(init).toMatchObject({ code: 0, err: '' });
    const seedFile = join(dir, 'alice', 'nats-user.nk');
    expect((await stat(seedFile)).mode & 0o777).toBe(0o600);
    expect(printed(init.out, 'hotkey')).toBe(ALICE);
    expect(fromSeed(new TextEncoder().encode((await readFile(seedFile, 'utf8')).trim())).getPublicKey()).toBe(printed(init.out, 'nkey'));
    expect(init.out).toContain(`--validator ${ALICE}=${printed(init.out, 'nkey')}`);
    expect(init.out).toContain(`NATS_INBOX_PREFIX=_INBOX_${ALICE}`);
    const again = await run(['validator', 'init', '--hotkey-uri', '//Alice', '--out', join(dir, 'alice')]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/nats-user\.nk exists: a seed is never overwritten/);
  }, 120_000);

  it('gives a server that lets the validator in with its seed, only where the block says, and the owner everywhere', async () => {
    const owner = await run(['admin', 'nkey', '--out', join(dir, 'owner')]);
    const alice = await run(['validator', 'init', '--hotkey-uri', '//Alice', '--out', join(dir, 'alice2')]);
    const bob = await run(['validator', 'init', '--hotkey-uri', '//Bob', '--out', join(dir, 'bob')]);
    const config = await run([
      'admin',
      'nats-config',
      '--owner',
      printed(owner.out, 'nkey'),
      '--validator',
      `${ALICE}=${printed(alice.out, 'nkey')}`,
      '--validator',
      `${BOB}=${printed(bob.out, 'nkey')}`,
      '--netuid',
      '7',
      '--namespace',
      'kinitro',
    ]);
    expect(config).toMatchObject({ code: 0, err: '' });
    server = await startNatsServer(config.out);
    const t = topology('kinitro');
    const ownerConnection = await connect(server.url, 'owner', { nkeySeedFile: join(dir, 'owner', 'nats-user.nk') });
    await applyTopology(ownerConnection.jsm, t, { replicas: 1 });
    await ownerConnection.close();
    const validator = await connect(server.url, 'validator', { nkeySeedFile: join(dir, 'alice2', 'nats-user.nk'), inboxPrefix: `_INBOX_${ALICE}` });
    try {
      expect((await validator.js.publish(t.eventSubject('weights', `7:${ALICE}`), '{}')).seq).toBeGreaterThan(0);
      await expect(validator.js.publish(t.eventSubject('weights', `7:${BOB}`), '{}', { timeout: 5_000 })).rejects.toThrow(PERMISSION);
    } finally {
      await validator.close();
    }
    // The first seed was not listed: the server does not know it.
    await expect(connect(server.url, 'stranger', { nkeySeedFile: join(dir, 'alice', 'nats-user.nk') })).rejects.toThrow(
      /refused the connection's credentials .*check NATS_NKEY_SEED_FILE/,
    );
    // Three key files, a hotkey derivation each, and a server of its own: slow on a loaded machine, not a timing margin.
  }, 180_000);
});
