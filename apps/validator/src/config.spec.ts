import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform';
import { loadValidatorConfig } from './config.js';

const problemsOf = (env: Record<string, string>): ConfigError['problems'] => {
  try {
    loadValidatorConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('validator configuration', () => {
  it('needs a hotkey and fills in the rest', () => {
    expect(problemsOf({})).toEqual([
      { variable: 'VALIDATOR_HOTKEY_URI', message: 'is required (or VALIDATOR_KEYSTORE): the hotkey the validator appends under' },
    ]);
    expect(loadValidatorConfig({ VALIDATOR_HOTKEY_URI: '//Bob' })).toMatchObject({
      hotkey: { uri: '//Bob' },
      VALIDATOR_MAX_EVALUATIONS: 4,
      KINITRO_NAMESPACE: 'kinitro',
      NATS_URL: 'nats://127.0.0.1:4222',
    });
  });

  it('reads a keystore’s password from the variable VALIDATOR_KEYSTORE_PASSWORD_ENV names, and only from there', () => {
    expect(
      loadValidatorConfig({ VALIDATOR_KEYSTORE: '/keys/bob.json', VALIDATOR_KEYSTORE_PASSWORD_ENV: 'BOB_PASSWORD', BOB_PASSWORD: 's3cret' }).hotkey,
    ).toEqual({ keystoreFile: '/keys/bob.json', password: 's3cret' });
    expect(loadValidatorConfig({ VALIDATOR_KEYSTORE: '/keys/bob.json' }).hotkey).toEqual({ keystoreFile: '/keys/bob.json', password: undefined });
    expect(problemsOf({ VALIDATOR_KEYSTORE: '/keys/bob.json', VALIDATOR_KEYSTORE_PASSWORD_ENV: 'BOB_PASSWORD' })).toEqual([
      { variable: 'VALIDATOR_KEYSTORE_PASSWORD_ENV', message: 'names BOB_PASSWORD, which is not set' },
    ]);
  });

  it('refuses two hotkeys, a password variable without a keystore, and names every bad variable at once', () => {
    expect(problemsOf({ VALIDATOR_HOTKEY_URI: '//Bob', VALIDATOR_KEYSTORE: '/k.json' })).toEqual([
      { variable: 'VALIDATOR_HOTKEY_URI', message: 'give either VALIDATOR_HOTKEY_URI or VALIDATOR_KEYSTORE, not both' },
    ]);
    expect(problemsOf({ VALIDATOR_HOTKEY_URI: '//Bob', VALIDATOR_KEYSTORE_PASSWORD_ENV: 'X' })).toEqual([
      { variable: 'VALIDATOR_KEYSTORE_PASSWORD_ENV', message: 'only applies to VALIDATOR_KEYSTORE' },
    ]);
    const problems = problemsOf({ VALIDATOR_HOTKEY_URI: '//Bob', VALIDATOR_MAX_EVALUATIONS: '0', NATS_URL: 'http://x', HEALTH_PORT: 'ninety' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['HEALTH_PORT', 'NATS_URL', 'VALIDATOR_MAX_EVALUATIONS']);
    expect(problemsOf({ VALIDATOR_HOTKEY_URI: '//Bob', VALIDATOR_MAX_EVALUATIONS: '2.5' })).toEqual([
      { variable: 'VALIDATOR_MAX_EVALUATIONS', message: 'must be a decimal integer' },
    ]);
  });
});
