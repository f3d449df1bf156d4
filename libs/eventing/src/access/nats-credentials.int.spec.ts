import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount, createUser } from '@nats-io/nkeys';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topology } from '#contracts';
import { StartupError } from '#platform';
import { connect } from '../connection.js';
import { natsAuthorization, renderAuthorization } from './nats-authorization.js';
import { startNatsServer, type NatsServerProcess } from './testing/nats-server-process.js';
import { validatorInboxPrefix } from './validator-permissions.js';

const A = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
let dir: string;
let server: NatsServerProcess;
const owner = createUser();
const validator = createUser();

const seedFile = async (name: string, seed: Uint8Array, mode = 0o600): Promise<string> => {
  const file = join(dir, name);
  await writeFile(file, `${new TextDecoder().decode(seed)}\n`, { mode });
  return file;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-creds-'));
  const authorization = natsAuthorization({
    topology: topology('kinitro'),
    netuids: [7],
    owners: [owner.getPublicKey()],
    validators: [{ hotkey: A, nkey: validator.getPublicKey() }],
  });
  server = await startNatsServer(renderAuthorization(authorization, 'credentials test'));
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('NATS credentials in the connection', () => {
  it('takes them from the environment when none are passed: NATS_NKEY_SEED_FILE and NATS_INBOX_PREFIX', async () => {
    const saved = { ...process.env };
    process.env.NATS_NKEY_SEED_FILE = await seedFile('validator.nk', validator.getSeed());
    process.env.NATS_INBOX_PREFIX = validatorInboxPrefix(A);
    try {
      const connection = await connect(server.url, 'from-env');
      // Account info is answered to the private inbox, which is the only subject the validator may subscribe to.
      expect((await connection.jsm.getAccountInfo()).streams).toBe(0);
      await connection.close();
    } finally {
      process.env = saved;
    }
  });

  it.each([
    [
      'a seed readable by others',
      async () => ({ nkeySeedFile: await seedFile('open.nk', validator.getSeed(), 0o644) }),
      /NATS_NKEY_SEED_FILE: .*open\.nk is readable by group or others: chmod 600 it/,
    ],
    ['a missing seed file', async () => ({ nkeySeedFile: join(dir, 'missing.nk') }), /NATS_NKEY_SEED_FILE: cannot read .*missing\.nk \(ENOENT\)/],
    [
      'an account seed',
      async () => ({ nkeySeedFile: await seedFile('account.nk', createAccount().getSeed()) }),
      /NATS_NKEY_SEED_FILE: .*account\.nk does not hold an nkey user seed/,
    ],
    [
      'a seed the server does not know',
      async () => ({ nkeySeedFile: await seedFile('stranger.nk', createUser().getSeed()) }),
      /refused the connection's credentials .*check NATS_NKEY_SEED_FILE$/,
    ],
    ['no credentials at all', async () => ({}), /refused the connection's credentials .*check NATS_NKEY_SEED_FILE or NATS_CREDS$/],
    [
      'a validator seed without its inbox prefix',
      async () => ({ nkeySeedFile: await seedFile('validator2.nk', validator.getSeed()) }),
      /refused this user's subscription to _INBOX\..*check NATS_INBOX_PREFIX \(unset\): a validator operator's user may only subscribe under _INBOX_<its hotkey>/,
    ],
  ])('refuses to start with %s, naming the variable', async (_, access, message) => {
    const attempt = connect(server.url, 'refused', await access());
    await expect(attempt).rejects.toThrow(StartupError);
    await expect(attempt).rejects.toThrow(message);
  });
});
