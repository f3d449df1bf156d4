import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runMain } from './testdata/run-main.js';

const REFUSE_HEAVY = pathToFileURL(resolve('apps/cli/src/testdata/refuse-heavy-imports.mjs')).href;
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const STACK_FRAME = /^\s+at /m;
let dir: string;

// NETUID and the URLs point nowhere, so no command here can reach a real service.
const kinitro = (argv: string[], options: { nodeArgs?: string[]; env?: Record<string, string> } = {}) =>
  runMain(
    argv,
    {
      PATH: process.env['PATH'] ?? '',
      SUBTENSOR_WS_URL: 'ws://127.0.0.1:1',
      KINITRO_API_URL: 'http://127.0.0.1:1',
      HF_ENDPOINT: 'http://127.0.0.1:1',
      ...options.env,
    },
    options.nodeArgs,
  );

/** Runs with every import of @polkadot/*, @huggingface/* and the chain, storage and domain libs failing. */
const withoutHeavyModules = (argv: string[]) =>
  kinitro(argv, { nodeArgs: ['--import', `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(REFUSE_HEAVY)})`] });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinitro-main-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the kinitro process', () => {
  it('prints the package version with --version and -V (exit 0)', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await kinitro([flag])).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('lists the miner commands with `miner --help` and a command’s flags with `miner commit --help` (exit 0)', async () => {
    const group = await kinitro(['miner', '--help']);
    expect(group).toMatchObject({ code: 0, err: '' });
    expect(group.out).toMatch(/Usage: kinitro miner[\s\S]*upload[\s\S]*commit[\s\S]*show-commitment[\s\S]*status/);
    const flags = await kinitro(['miner', 'commit', '--help']);
    expect(flags).toMatchObject({ code: 0, err: '' });
    expect(flags.out).toMatch(/--competition <value>[\s\S]*--netuid <value>.*env NETUID[\s\S]*--force/);
  });

  it.each([
    [[], /Usage: kinitro/],
    [['nope'], /kinitro: unknown command 'nope'/],
    [['miner', 'comit'], /unknown command 'comit'\n\(Did you mean commit\?\)/],
    [['miner', 'commit', '--netuid', '1'], /kinitro miner commit: --competition is required/],
    [['miner', 'status', '--hotkey', `${ALICE.slice(0, -1)}Z`], /--hotkey ".*" is not a Bittensor SS58 address: its checksum does not match/],
  ])('exits 2 with a usage message on stderr for %j', async (argv, message) => {
    const result = await kinitro(argv);
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(STACK_FRAME);
  });

  it('exits 1 with one line naming a malformed keystore, no stack trace', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"encoded": 12}');
    const result = await kinitro([
      'miner',
      'commit',
      '--competition',
      'mt10',
      '--repo',
      'acme/policy',
      '--revision',
      'abcdef0',
      '--netuid',
      '1',
      '--keystore',
      file,
    ]);
    expect(result).toEqual({
      code: 1,
      out: '',
      err: `kinitro miner commit: keystore ${file} is not a polkadot-js keystore: it needs "encoded" (a string) and "encoding" with "content"\n`,
    });
  });

  it('starts --help, --version and command help without loading the chain or Hub clients', async () => {
    for (const argv of [['--help'], ['--version'], ['miner', '--help'], ['miner', 'commit', '--help'], ['miner', 'upload', '--help']]) {
      expect(await withoutHeavyModules(argv)).toMatchObject({ code: 0, err: '' });
    }
    // The hook does bite: a command that needs the chain fails under it.
    const needsChain = await withoutHeavyModules(['miner', 'show-commitment', '--hotkey', ALICE, '--netuid', '1']);
    expect(needsChain.code).toBe(1);
    expect(needsChain.err).toMatch(/refused to load .*\/(node_modules\/@polkadot|dist\/libs\/chain)\//);
    expect(needsChain.err).not.toMatch(STACK_FRAME);
  });
});
