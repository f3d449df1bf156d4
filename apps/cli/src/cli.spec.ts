import { describe, expect, it } from '@jest/globals';
import { parseFlags, UsageError } from './args.js';
import { runCli } from './cli.js';
import { commands } from './commands.js';

const io = (env: Record<string, string | undefined> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }, out, err };
};

const REV = '0123456789abcdef0123456789abcdef01234567';
const commit = ['miner', 'commit', '--competition', 'mt10', '--repo', 'acme/policy', '--revision', REV, '--netuid', '1'];

describe('kinitro CLI', () => {
  describe('flag parsing', () => {
    const specs = {
      netuid: { kind: 'value', env: 'NETUID', required: true, description: '' },
      json: { kind: 'switch', description: '' },
    } as const;

    it('reads --flag value, --flag=value, switches and environment fallbacks', () => {
      expect(parseFlags(['--netuid', '3', '--json'], specs, {})).toEqual({ netuid: '3', json: true });
      expect(parseFlags(['--netuid=4'], specs, {})).toEqual({ netuid: '4', json: false });
      expect(parseFlags([], specs, { NETUID: '5' })).toEqual({ netuid: '5', json: false });
    });

    it.each([
      [['--netuid'], /--netuid needs a value/],
      [['--nope', '1'], /unknown flag --nope/],
      [['--netuid', '1', '--netuid', '2'], /--netuid given twice/],
      [['--json=yes', '--netuid', '1'], /--json takes no value/],
      [['stray'], /unexpected argument "stray"/],
      [[], /--netuid is required \(or set NETUID\)/],
    ])('refuses %j naming the flag', (argv, message) => {
      expect(() => parseFlags(argv, specs, {})).toThrow(UsageError);
      expect(() => parseFlags(argv, specs, {})).toThrow(message);
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
    const { io: cli, err } = io();
    expect(await runCli(commands, [...argv, '--hotkey-uri', '//Alice'], cli)).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  it.each([
    [['--hotkey-uri', '//Alice', '--keystore', 'k.json'], /either --hotkey-uri or --keystore, not both/],
    [[], /a hotkey is required/],
    [['--keystore', 'k.json', '--password-env', 'KINITRO_TEST_UNSET'], /KINITRO_TEST_UNSET, which is not set/],
  ])('refuses miner commit with hotkey flags %j (exit 2)', async (hotkey, message) => {
    const { io: cli, err } = io();
    expect(await runCli(commands, [...commit, ...hotkey], cli)).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  it('names an unknown command and lists the known ones (exit 2)', async () => {
    const { io: cli, err } = io();
    expect(await runCli(commands, ['miner', 'frobnicate'], cli)).toBe(2);
    expect(err.join('\n')).toMatch(/unknown command "miner frobnicate"[\s\S]*miner commit[\s\S]*miner show-commitment/);
  });

  it('prints a command’s flags with --help', async () => {
    const { io: cli, out } = io();
    expect(await runCli(commands, ['miner', 'show-commitment', '--help'], cli)).toBe(0);
    expect(out.join('\n')).toMatch(/--hotkey <value>[\s\S]*--netuid <value>.*env NETUID/);
  });
});
