import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runCli } from './cli.js';
import { commands } from './commands.js';

// Every service the CLI could reach points at a closed port, and no valid address or --force is in the
// vocabulary, so no generated command line gets as far as the chain: each run takes milliseconds.
const ENV = {
  SUBTENSOR_WS_URL: 'ws://127.0.0.1:1',
  KINITRO_API_URL: 'http://127.0.0.1:1',
  HF_ENDPOINT: 'http://127.0.0.1:1',
  NATS_URL: 'nats://127.0.0.1:1',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
  NETUID: '1',
};
const STACK_FRAME = /^\s+at /m;

// The commands that write a key file (`--out`) are fuzzed on their own, in a temp directory (admin/nats-config.fuzz.spec.ts).
const fuzzed = commands.filter((c) => !('out' in c.flags));
const flagNames = [...new Set(fuzzed.flatMap((c) => Object.keys(c.flags)))].filter((name) => name !== 'force');
const words = [...new Set(fuzzed.flatMap((c) => c.path)), 'help', 'frobnicate'];
const values = [
  '',
  '0',
  '1',
  '-1',
  '65536',
  '1e3',
  ' 7',
  'mt10',
  'acme/policy',
  '0123456',
  '//Alice',
  'not a uri',
  '/nonexistent/kinitro.json',
  'http://',
  '=',
  '--',
  '-',
  '\u0000',
  'ü',
  '🦀',
  '5GrwvaEF5zXb',
];

const token = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom(...values),
  fc.constantFrom(...flagNames).map((name) => `--${name}`),
  fc.tuple(fc.constantFrom(...flagNames), fc.oneof(fc.constantFrom(...values), fc.string())).map(([name, value]) => `--${name}=${value}`),
  fc.constantFrom('-h', '--help', '-V', '--version', '--', '-x', '--no-json', '---netuid'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** A command path (known, partial or wrong) followed by any mix of flags and values. */
const anyLine = fc
  .tuple(fc.constantFrom(...fuzzed.map((c) => c.path), ['miner'], [], ['nope']), fc.array(token, { maxLength: 10 }))
  .map(([path, rest]) => [...path, ...rest]);

/** Flags each command accepts, with values that pass its checks (the show-commitment hotkey excepted: it would wait for a node). */
const VALID: Record<string, string[][]> = {
  upload: [
    ['--dir', '/nonexistent/agent'],
    ['--repo', 'me/agent'],
    ['--message', 'm'],
  ],
  commit: [
    ['--competition', 'mt10'],
    ['--repo', 'acme/policy'],
    ['--revision', '0123456'],
    ['--hotkey-uri', '//Alice'],
    ['--netuid', '1'],
    ['--timeout', '1'],
  ],
  'show-commitment': [['--hotkey', '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ'], ['--netuid', '1'], ['--json']],
  status: [['--hotkey', '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'], ['--limit', '5'], ['--competition', 'mt10'], ['--json']],
};

/** A nearly valid command line: some of its good flags, in any order, with a few generated tokens among them. */
const nearlyValidLine = fc
  .constantFrom(...Object.keys(VALID))
  .chain((name) => fc.tuple(fc.constant(name), fc.shuffledSubarray(VALID[name]!), fc.array(token, { maxLength: 3 }), fc.nat()))
  .map(([name, pairs, extras, at]) => {
    const rest = pairs.flat();
    rest.splice(at % (rest.length + 1), 0, ...extras);
    return ['miner', name, ...rest];
  });

const commandLine = fc.oneof({ arbitrary: anyLine, weight: 1 }, { arbitrary: nearlyValidLine, weight: 3 });

describe('kinitro command-line parsing, fuzzed', () => {
  it('answers every command line with an exit code of the contract and a message, never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(commandLine, async (argv) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(fuzzed, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: ENV });
        expect([0, 1, 2, 3]).toContain(code);
        if (code !== 0) expect(err.join('\n').trim()).not.toBe('');
        expect([...out, ...err].join('\n')).not.toMatch(STACK_FRAME);
      }),
      { seed: 20261201, numRuns: 500 },
    );
  }, 120_000);
});
