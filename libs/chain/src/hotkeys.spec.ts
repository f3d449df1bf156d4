import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { HotkeyError, loadHotkey } from './hotkeys.js';

let dir: string;
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

beforeAll(async () => {
  await cryptoWaitReady();
  dir = await mkdtemp(join(tmpdir(), 'kinitro-hotkeys-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loadHotkey', () => {
  it('derives a dev URI', async () => {
    expect((await loadHotkey({ uri: '//Alice' })).address).toBe(ALICE);
  });

  it('unlocks a polkadot-js keystore with its password and refuses a wrong or missing one', async () => {
    // A keystore exported by polkadot-js (scrypt + xsalsa20-poly1305) for a throwaway key; password "s3cret".
    const file = fileURLToPath(new URL('./testdata/keystore-password-s3cret.json', import.meta.url));
    const loaded = await loadHotkey({ keystoreFile: file, password: 's3cret' });
    expect(loaded.address).toBe('5G42ABy94pT11j1AuVcJEohvktQ6BcNhjhDkaMueAenRtLr2');
    expect(loaded.isLocked).toBe(false);
    await expect(loadHotkey({ keystoreFile: file, password: 'nope' })).rejects.toThrow(/wrong password/);
    await expect(loadHotkey({ keystoreFile: file })).rejects.toThrow(/password is required/);
  }, 20_000);

  it('reads a Bittensor hotkey file and checks the address it declares', async () => {
    const phrase = mnemonicGenerate();
    const pair = new Keyring({ type: 'sr25519' }).addFromUri(phrase);
    const good = join(dir, 'hotkey');
    await writeFile(good, JSON.stringify({ secretPhrase: phrase, ss58Address: pair.address }));
    expect((await loadHotkey({ keystoreFile: good })).address).toBe(pair.address);
    const lying = join(dir, 'lying');
    await writeFile(lying, JSON.stringify({ secretPhrase: phrase, ss58Address: ALICE }));
    await expect(loadHotkey({ keystoreFile: lying })).rejects.toThrow(HotkeyError);
  });

  it('names the file it cannot read', async () => {
    await expect(loadHotkey({ keystoreFile: join(dir, 'missing.json') })).rejects.toThrow(/cannot read keystore .*missing.json/);
  });
});

describe('loadHotkey with a malformed keystore', () => {
  const damaged: [string, string, RegExp][] = [
    ['not-json', '{"encoded": ', /is not JSON/],
    ['array', '[1, 2]', /is not a JSON object/],
    ['neither', '{"address": "x"}', /is neither a polkadot-js keystore \("encoded"\) nor a Bittensor hotkey file/],
    ['encoded-number', '{"encoded": 12}', /is not a polkadot-js keystore: it needs "encoded" \(a string\) and "encoding"/],
    ['bad-address', '{"encoded": "00", "encoding": {"content": ["pkcs8", "sr25519"], "type": ["none"], "version": "3"}, "address": "x"}', /is damaged: /],
    ['bad-seed', '{"secretSeed": "not a seed"}', /"secretSeed" must be a 32-byte hex seed/],
    ['bad-phrase', '{"secretPhrase": 5}', /"secretPhrase" is not a valid BIP39 mnemonic/],
  ];

  it.each(damaged)('refuses %s with one line naming the file', async (name, content, problem) => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, content);
    const error = await loadHotkey({ keystoreFile: file, password: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HotkeyError);
    expect((error as Error).message).toContain(`keystore ${file}`);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).not.toContain('\n');
  });
});
