import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount, createUser } from '@nats-io/nkeys';
import fc from 'fast-check';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli.js';
import { commands } from '../commands.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const STACK_FRAME = /^\s+at /m;
const OWNER = createUser().getPublicKey();
const USER_KEYS = [createUser().getPublicKey(), createUser().getPublicKey()];

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const natsConfig = (...extra: string[]) => run(['admin', 'nats-config', '--netuid', '7', ...extra]);

/** Characters that are in neither alphabet (base58 for SS58, base32 for nkeys) or that a subject treats specially. */
const FORBIDDEN = ['*', '>', ' ', '.', '\t', '0', 'l', 'I', 'O', '8', '9', '=', '\u0000', 'ü'];

/** `valid` broken for sure: a forbidden character put in or swapped in, the last character dropped, or a doubled end. */
const broken = (valid: string) =>
  fc.oneof(
    fc.tuple(fc.nat(valid.length), fc.constantFrom(...FORBIDDEN)).map(([at, c]) => valid.slice(0, at) + c + valid.slice(at)),
    fc.tuple(fc.nat(valid.length - 1), fc.constantFrom(...FORBIDDEN)).map(([at, c]) => valid.slice(0, at) + c + valid.slice(at + 1)),
    fc.constant(valid.slice(0, -1)),
    fc.constant(`${valid}${valid.slice(-1)}`),
  );

/** Strings that are no nkey user public key: broken ones, other kinds of nkey (an account key, a seed), anything short. */
/** One base32 character of `valid` (past the `U`) swapped for another: only the checksum tells. */
const mistyped = (valid: string) =>
  fc
    .tuple(fc.integer({ min: 1, max: valid.length - 1 }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'))
    .filter(([at, c]) => valid[at] !== c)
    .map(([at, c]) => valid.slice(0, at) + c + valid.slice(at + 1));

const badNkey = fc.oneof(
  broken(USER_KEYS[0]!),
  mistyped(USER_KEYS[0]!),
  fc.constant(createAccount().getPublicKey()),
  fc.constant(new TextDecoder().decode(createUser().getSeed())),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('*', '>', 'U*', 'U >', ''),
);
const badHotkey = fc.oneof(broken(ALICE), fc.string({ maxLength: 40 }), fc.constantFrom('*', '>', `${ALICE}.>`, ' ', ''));

describe('kinitro admin nats-config, fuzzed', () => {
  it('refuses a --validator whose hotkey or nkey is bad, naming --validator (exit 2), and never prints a config', async () => {
    const validator = fc.oneof(
      fc.tuple(badHotkey, fc.constantFrom(...USER_KEYS)).map(([hotkey, nkey]) => `${hotkey}=${nkey}`),
      fc.tuple(fc.constantFrom(ALICE, BOB), badNkey).map(([hotkey, nkey]) => `${hotkey}=${nkey}`),
      badHotkey.filter((v) => !v.includes('=')),
    );
    await fc.assert(
      fc.asyncProperty(validator, async (value) => {
        const result = await natsConfig('--owner', OWNER, `--validator=${value}`);
        expect(result.code).toBe(2);
        expect(result.err).toMatch(/--validator/);
        expect(result.out).toBe('');
        expect(result.err).not.toMatch(STACK_FRAME);
      }),
      { seed: 20261202, numRuns: 300 },
    );
  }, 120_000);

  it('refuses a bad --owner, a wildcard or spaced --owner-consumer or --namespace, naming the flag (exit 2)', async () => {
    const wildcardName = fc
      .tuple(fc.stringMatching(/^[a-z0-9_-]{0,10}$/), fc.constantFrom('*', '>', ' ', '.', '\t'), fc.stringMatching(/^[a-z0-9_-]{0,10}$/))
      .map(([head, bad, tail]) => head + bad + tail);
    const line = fc.oneof(
      badNkey.map((nkey) => [['--owner', nkey], '--owner'] as const),
      wildcardName.map((name) => [['--owner', OWNER, '--owner-consumer', name], '--owner-consumer'] as const),
      wildcardName.map((name) => [['--owner', OWNER, '--namespace', name], '--namespace'] as const),
    );
    await fc.assert(
      fc.asyncProperty(line, async ([argv, flag]) => {
        const result = await natsConfig(...argv);
        expect(result.code).toBe(2);
        expect(result.err).toContain(flag);
        expect(result.out).toBe('');
      }),
      { seed: 20261203, numRuns: 200 },
    );
  }, 120_000);

  it('answers good input with a block whose every subject is literal tokens, wildcards only as whole tokens', async () => {
    const consumer = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(consumer, { maxLength: 3 }), fc.subarray([ALICE, BOB], { minLength: 1 }), async (consumers, hotkeys) => {
        const result = await natsConfig(
          '--owner',
          OWNER,
          ...hotkeys.flatMap((h, i) => ['--validator', `${h}=${USER_KEYS[i]}`]),
          ...consumers.flatMap((c) => ['--owner-consumer', c]),
        );
        expect(result).toMatchObject({ code: 0, err: '' });
        const block = JSON.parse(result.out.slice(result.out.indexOf('authorization: ') + 'authorization: '.length)) as {
          users: { nkey: string; permissions?: { publish: { allow: string[]; deny: string[] }; subscribe: { allow: string[] } } }[];
        };
        expect(block.users.map((u) => u.nkey)).toEqual([OWNER, ...USER_KEYS.slice(0, hotkeys.length)]);
        for (const user of block.users.slice(1)) {
          const subjects = [...user.permissions!.publish.allow, ...user.permissions!.publish.deny, ...user.permissions!.subscribe.allow];
          for (const subject of subjects) {
            const tokens = subject.split('.');
            tokens.forEach((token, i) => expect(token === '*' || (token === '>' && i === tokens.length - 1) || /^[^\s*>]+$/.test(token)).toBe(true));
          }
          for (const name of consumers) expect(user.permissions!.publish.deny).toContain(`$JS.API.CONSUMER.DELETE.KINITRO_EVENTS.${name}`);
        }
      }),
      { seed: 20261204, numRuns: 100 },
    );
  }, 120_000);
});

describe('kinitro validator init and admin nkey, fuzzed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinitro-init-fuzz-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers any hotkey and any --out with an exit code of the contract and a message, and writes only under --out', async () => {
    const hotkey = fc.oneof(fc.constantFrom('//Alice', '//Bob', 'not a uri', '', '0x12'), fc.string({ maxLength: 20 }));
    const out = fc.oneof(fc.stringMatching(/^[a-z0-9 *>._-]{1,12}$/), fc.constant(''));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('validator', 'admin'), hotkey, out, async (group, uri, name) => {
        const argv =
          group === 'validator' ? ['validator', 'init', `--hotkey-uri=${uri}`, `--out=${join(dir, name)}`] : ['admin', 'nkey', `--out=${join(dir, name)}`];
        const result = await run(argv);
        expect([0, 1, 2]).toContain(result.code);
        if (result.code !== 0) expect(result.err.trim()).not.toBe('');
        expect(`${result.out}\n${result.err}`).not.toMatch(STACK_FRAME);
      }),
      { seed: 20261205, numRuns: 40 },
    );
    expect((await readdir(dir)).length).toBeGreaterThan(0);
  }, 120_000);
});
