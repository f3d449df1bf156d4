import { describe, expect, it } from '@jest/globals';
import { createUser } from '@nats-io/nkeys';
import { runCli } from '../cli.js';
import { commands } from '../commands.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const OWNER = createUser().getPublicKey();
const USER = createUser().getPublicKey();

const run = async (argv: string[], env: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('kinitro admin nats-config', () => {
  it.each([
    [['--validator', `${ALICE}=${USER}`, '--netuid', '7'], /--owner is required \(give it once per value\)/],
    [['--owner', OWNER, '--validator', `${ALICE}=${USER}`], /--netuid is required \(or set NETUID\)/],
    [['--owner', OWNER, '--validator', ALICE, '--netuid', '7'], new RegExp(`--validator "${ALICE}" must be <hotkey ss58>=<nkey public key>`)],
    [
      ['--owner', OWNER, '--validator', `${ALICE}=${USER}`, '--validator', `${ALICE}=${createUser().getPublicKey()}`, '--netuid', '7'],
      /--validator: validator hotkey .* is given twice/,
    ],
    [['--owner', USER, '--validator', `${ALICE}=${USER}`, '--netuid', '7'], /--validator: nkey .* is given twice/],
    [['--owner', OWNER, '--validator', '--netuid', '7'], /--validator needs a value, not the flag --netuid/],
    [['--owner', OWNER, '--netuid', '7', '--namespace', 'Kinitro'], /--namespace: namespace "Kinitro" must match/],
  ])('refuses %j (exit 2), naming the flag', async (argv, message) => {
    const result = await run(['admin', 'nats-config', ...argv]);
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toMatch(message);
  });

  it('takes NETUID and KINITRO_NAMESPACE from the environment, and repeats list flags', async () => {
    const result = await run(['admin', 'nats-config', '--owner', OWNER, '--owner', createUser().getPublicKey(), '--validator', `${ALICE}=${USER}`], {
      NETUID: '12',
      KINITRO_NAMESPACE: 'staging',
    });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^# Kinitro NATS users for namespace staging, netuid 12: 2 owner key\(s\), 1 validator\(s\)\./);
    expect(result.out).toContain(`"staging.evt.weights.12:${ALICE}"`);
  });

  it('lists its flags, the list ones marked repeatable', async () => {
    const help = await run(['admin', 'nats-config', '--help']);
    expect(help.code).toBe(0);
    const flat = help.out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/--owner <value> [^-]*\(required, repeatable\) --validator <value> .*\(repeatable\) --netuid <value> .*\(required, env NETUID\)/);
  });
});
