import { HotkeyError, loadHotkey, type HotkeySource } from '#chain';
import type { KeyringPair } from '@polkadot/keyring/types';
import { ConfigError } from './config.js';
import type { ConfigPart } from './app-config.js';
import { StartupError } from './startup-error.js';

/**
 * `<prefix>_HOTKEY_URI`, or `<prefix>_KEYSTORE` with its password in the variable `<prefix>_KEYSTORE_PASSWORD_ENV`
 * names (the password itself never sits in the config): exactly one hotkey. `purpose` ends the "is required" message.
 * The validator reads VALIDATOR_*, the evaluators of its operator EVALUATOR_* (the same hotkey).
 */
export const hotkeySourceFromEnv =
  (prefix: string, purpose: string): ConfigPart<{ hotkey: HotkeySource }> =>
  (env) => {
    const [uriVar, keystoreVar, passwordVar] = [`${prefix}_HOTKEY_URI`, `${prefix}_KEYSTORE`, `${prefix}_KEYSTORE_PASSWORD_ENV`];
    const uri = env[uriVar] || undefined;
    const keystoreFile = env[keystoreVar] || undefined;
    const passwordEnv = env[passwordVar] || undefined;
    const problem = (variable: string, message: string) => new ConfigError([{ variable, message }]);
    if (passwordEnv && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(passwordEnv)) throw problem(passwordVar, 'must be the name of an environment variable');
    if (uri && keystoreFile) throw problem(uriVar, `give either ${uriVar} or ${keystoreVar}, not both`);
    if (uri) {
      if (passwordEnv) throw problem(passwordVar, `only applies to ${keystoreVar}`);
      return { hotkey: { uri } };
    }
    if (!keystoreFile) throw problem(uriVar, `is required (or ${keystoreVar}): ${purpose}`);
    if (passwordEnv && env[passwordEnv] === undefined) throw problem(passwordVar, `names ${passwordEnv}, which is not set`);
    return { hotkey: { keystoreFile, password: passwordEnv ? env[passwordEnv] : undefined } };
  };

/** A hotkey that cannot be loaded is the operator's to fix: one line naming the variable, no stack. */
export const loadHotkeyAtStartup = async (source: HotkeySource, prefix: string): Promise<KeyringPair> => {
  try {
    return await loadHotkey(source);
  } catch (error) {
    if (!(error instanceof HotkeyError)) throw error;
    throw new StartupError(`${'uri' in source ? `${prefix}_HOTKEY_URI` : `${prefix}_KEYSTORE`}: ${error.message}`, 1, { cause: error });
  }
};
