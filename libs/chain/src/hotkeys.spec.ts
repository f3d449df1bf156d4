import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('unlocks a polkadot-js keystore with its password and refuses a wrong one', async () => {
    const pair = new Keyring({ type: 'sr25519' }).addFromUri(mnemonicGenerate());
    const file = join(dir, 'keystore.json');
    await writeFile(file, JSON.stringify(pair.toJson('s3cret')));
    const loaded = await loadHotkey({ keystoreFile: file, password: 's3cret' });
    expect(loaded.address).toBe(pair.address);
    expect(loaded.isLocked).toBe(false);
    await expect(loadHotkey({ keystoreFile: file, password: 'nope' })).rejects.toThrow(/wrong password/);
    await expect(loadHotkey({ keystoreFile: file })).rejects.toThrow(/password is required/);
    // Three scrypt derivations at the keystore's real cost.
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
