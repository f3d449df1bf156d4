import { describe, expect, it } from '@jest/globals';
import { hostname } from 'node:os';
import { ConfigError } from '#platform';
import { loadEvaluatorConfig } from './config.js';

const problemsOf = (env: Record<string, string>): ConfigError['problems'] => {
  try {
    loadEvaluatorConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

/** The one variable without a default: the hotkey of the validator the evaluator works for. */
const HOTKEY = { EVALUATOR_HOTKEY_URI: '//Bob' };

describe('evaluator configuration', () => {
  it('fills in every default: bwrap, the filesystem store, 3 attempts, <hostname>/<pid>', () => {
    expect(loadEvaluatorConfig(HOTKEY)).toMatchObject({
      hotkey: { uri: '//Bob' },
      EVALUATOR_ID: `${hostname()}/${process.pid}`,
      AGENT_CACHE_DIR: 'data/agents',
      EVALUATOR_MAX_ATTEMPTS: 3,
      EVALUATOR_ACK_WAIT_MS: 60_000,
      EVALUATOR_SESSION_IDLE_MS: 30_000,
      KINITRO_NAMESPACE: 'kinitro',
      hub: {},
      objectStore: { kind: 'fs', dir: 'data/objects' },
      sandbox: { AGENT_SANDBOX: 'bwrap', AGENT_SANDBOX_BWRAP: '/usr/bin/bwrap', AGENT_SANDBOX_UID: 65534 },
    });
    expect(loadEvaluatorConfig(HOTKEY).METAWORLD_ASSETS).toBeUndefined();
  });

  it('reads its own variables, the Hub, the object store and the sandbox', () => {
    const config = loadEvaluatorConfig({
      EVALUATOR_KEYSTORE: '/keys/validator.json',
      EVALUATOR_KEYSTORE_PASSWORD_ENV: 'VALIDATOR_KEY_PASSWORD',
      VALIDATOR_KEY_PASSWORD: 's3cret',
      EVALUATOR_ID: 'gpu-box-3',
      AGENT_CACHE_DIR: '/var/cache/kinitro',
      EVALUATOR_MAX_ATTEMPTS: '5',
      METAWORLD_ASSETS: '/opt/metaworld/assets',
      HF_ENDPOINT: 'http://127.0.0.1:9000',
      HF_TOKEN: 'hf_abc',
      OBJECT_STORE: 's3',
      S3_ENDPOINT: 'https://s3.example.org',
      S3_BUCKET: 'kinitro-frames',
      S3_ACCESS_KEY: 'k',
      S3_SECRET_KEY: 's',
      AGENT_SANDBOX: 'podman',
      AGENT_SANDBOX_IMAGE: 'kinitro/agent-runtime:1',
    });
    expect(config).toMatchObject({
      hotkey: { keystoreFile: '/keys/validator.json', password: 's3cret' },
      EVALUATOR_ID: 'gpu-box-3',
      AGENT_CACHE_DIR: '/var/cache/kinitro',
      EVALUATOR_MAX_ATTEMPTS: 5,
      METAWORLD_ASSETS: '/opt/metaworld/assets',
      hub: { hubUrl: 'http://127.0.0.1:9000', token: 'hf_abc' },
      objectStore: { kind: 's3', endpoint: 'https://s3.example.org', bucket: 'kinitro-frames' },
      sandbox: { AGENT_SANDBOX: 'podman', AGENT_SANDBOX_IMAGE: 'kinitro/agent-runtime:1' },
    });
  });

  it('names every bad variable at once: shared, own, hotkey, Hub, object store and sandbox', () => {
    const problems = problemsOf({
      NATS_URL: 'http://x',
      EVALUATOR_MAX_ATTEMPTS: '0',
      HF_ENDPOINT: 'ftp://hub',
      OBJECT_STORE: 's3',
      AGENT_SANDBOX: 'chroot',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual(
      [
        'AGENT_SANDBOX',
        'EVALUATOR_HOTKEY_URI',
        'EVALUATOR_MAX_ATTEMPTS',
        'HF_ENDPOINT',
        'NATS_URL',
        'S3_ACCESS_KEY',
        'S3_BUCKET',
        'S3_ENDPOINT',
        'S3_SECRET_KEY',
      ].sort(),
    );
  });

  it('needs an image for podman', () => {
    expect(problemsOf({ ...HOTKEY, AGENT_SANDBOX: 'podman' })).toEqual([{ variable: 'AGENT_SANDBOX_IMAGE', message: 'is required when AGENT_SANDBOX=podman' }]);
  });

  it('reads the hotkey as the validator does, under EVALUATOR_*: one of a URI and a keystore', () => {
    expect(problemsOf({})).toEqual([
      { variable: 'EVALUATOR_HOTKEY_URI', message: 'is required (or EVALUATOR_KEYSTORE): the hotkey of the validator whose work it runs' },
    ]);
    expect(problemsOf({ EVALUATOR_HOTKEY_URI: '//Bob', EVALUATOR_KEYSTORE: '/k.json' })).toEqual([
      { variable: 'EVALUATOR_HOTKEY_URI', message: 'give either EVALUATOR_HOTKEY_URI or EVALUATOR_KEYSTORE, not both' },
    ]);
    expect(problemsOf({ EVALUATOR_KEYSTORE: '/k.json', EVALUATOR_KEYSTORE_PASSWORD_ENV: 'NOPE' })).toEqual([
      { variable: 'EVALUATOR_KEYSTORE_PASSWORD_ENV', message: 'names NOPE, which is not set' },
    ]);
  });
});
