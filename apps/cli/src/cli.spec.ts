import { describe, expect, it } from '@jest/globals';
import { runCli } from './cli.js';
import { commands } from './commands.js';

/** The CLI in-process with its own output and environment; nothing here reaches a network. */
const run = async (argv: string[], env: Record<string, string | undefined> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const REV = '0123456789abcdef0123456789abcdef01234567';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const commit = ['miner', 'commit', '--competition', 'mt10', '--repo', 'acme/policy', '--revision', REV, '--netuid', '1'];

describe('kinitro CLI', () => {
  describe('flag parsing (usage errors exit 2 and name the flag)', () => {
    it.each([
      [['miner', 'show-commitment', '--hotkey', ALICE, '--netuid'], /--netuid <value>' argument missing/],
      [['miner', 'show-commitment', '--hotkey', ALICE, '--netuid', '--json'], /--netuid needs a value, not the flag --json/],
      [['miner', 'show-commitment', '--hotkey', ALICE, '--nope', '1'], /unknown option '--nope'/],
      [['miner', 'show-commitment', '--hotkey', ALICE, '--netuid', '1', '--netuid', '2'], /--netuid given twice/],
      [['miner', 'show-commitment', '--hotkey', ALICE, '--netuid', '1', '--json=yes'], /unknown option '--json=yes'/],
      [['miner', 'show-commitment', '--hotkey', ALICE, '--netuid', '1', 'stray'], /too many arguments for 'show-commitment'/],
      [['miner', 'show-commitment', '--hotkey', ALICE], /--netuid is required \(or set NETUID\)/],
      [['miner', 'show-commitment', '--netuid', '1'], /--hotkey is required/],
    ])('refuses %j', async (argv, message) => {
      const result = await run(argv);
      expect(result).toMatchObject({ code: 2, out: '' });
      expect(result.err).toMatch(message);
      expect(result.err).toContain('kinitro miner show-commitment');
    });

    it('takes --flag=value and the environment fallback, and the flag over the variable', async () => {
      const viaEnv = await run(['miner', 'show-commitment', '--hotkey', ALICE], { NETUID: '70000' });
      expect(viaEnv.err).toMatch(/--netuid must be an integer from 0 to 65535, not "70000"/);
      const inline = await run(['miner', 'show-commitment', `--hotkey=${ALICE}`, '--netuid=70001'], { NETUID: '70000' });
      expect(inline.err).toMatch(/not "70001"/);
    });
  });

  it.each([
    [['--repo', 'not-a-repo'], /--repo: repo "not-a-repo" must be a Hub repo id/],
    [['--revision', 'main'], /--revision: revision "main" must be 7-40 lowercase hex/],
    [['--competition', 'MT10'], /--competition: competition id "MT10"/],
    [['--netuid', '70000'], /--netuid must be an integer from 0 to 65535/],
  ])('refuses miner commit with %j before touching the chain (exit 2)', async (override, message) => {
    const argv = [...commit];
    argv[argv.indexOf(override[0]!) + 1] = override[1]!;
    const result = await run([...argv, '--hotkey-uri', '//Alice']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it.each([
    [['--hotkey-uri', '//Alice', '--keystore', 'k.json'], /either --hotkey-uri or --keystore, not both/],
    [[], /a hotkey is required/],
    [['--keystore', 'k.json', '--password-env', 'KINITRO_TEST_UNSET'], /KINITRO_TEST_UNSET, which is not set/],
  ])('refuses miner commit with hotkey flags %j (exit 2)', async (hotkey, message) => {
    const result = await run([...commit, ...hotkey]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it.each([
    ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ', /its checksum does not match/],
    ['15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5', /it is an address of network prefix 0, not 42/],
    ['alice', /invalid base58 character "l"/],
  ])('refuses the address %s, saying what is wrong with it (exit 2)', async (hotkey, reason) => {
    for (const argv of [
      ['miner', 'status', '--hotkey', hotkey],
      ['miner', 'show-commitment', '--netuid', '1', '--hotkey', hotkey],
    ]) {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(new RegExp(`--hotkey "${hotkey}" is not a Bittensor SS58 address: ${reason.source}`));
    }
  });

  it('refuses miner upload to something that is not a Hub repo id before reading the directory (exit 2)', async () => {
    const result = await run(['miner', 'upload', '--dir', '/nonexistent', '--repo', 'no-slash']);
    expect(result).toMatchObject({ code: 2, err: expect.stringContaining('--repo "no-slash" is not a Hub repo id "owner/name"') });
  });

  it('names an unknown command and lists the known ones (exit 2)', async () => {
    const result = await run(['miner', 'frobnicate']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/kinitro miner: unknown command 'frobnicate'[\s\S]*commit[\s\S]*show-commitment[\s\S]*status/);
  });

  it('prints a command’s flags with --help, the group’s commands with help (exit 0)', async () => {
    const flags = await run(['miner', 'show-commitment', '--help']);
    expect(flags.code).toBe(0);
    expect(flags.out).toMatch(/--hotkey <value>[\s\S]*--netuid <value>.*env NETUID/);
    const group = await run(['help', 'miner']);
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/upload[\s\S]*commit[\s\S]*show-commitment[\s\S]*status/);
  });

  it('answers help and a missing command the same whatever process.exitCode another caller left', async () => {
    const left = process.exitCode;
    try {
      for (const exitCode of [0, 1]) {
        process.exitCode = exitCode;
        expect([(await run(['help', 'miner'])).code, (await run(['miner', '--help'])).code, (await run(['miner'])).code]).toEqual([0, 0, 2]);
      }
    } finally {
      process.exitCode = left;
    }
  });
});
