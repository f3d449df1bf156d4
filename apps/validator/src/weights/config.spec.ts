import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '#platform';
import { loadValidatorConfig } from '../config.js';

const base = { VALIDATOR_HOTKEY_URI: '//Bob' };

describe('the validator’s weight-setting variables', () => {
  it('leaves weight setting off without NETUID', () => {
    expect(loadValidatorConfig(base).weights).toBeUndefined();
  });

  it('reads NETUID, the node, the interval and the policy, with defaults', () => {
    expect(loadValidatorConfig({ ...base, NETUID: '7' }).weights).toEqual({
      netuid: 7,
      subtensorUrl: 'ws://127.0.0.1:9944',
      connectTimeoutMs: 30_000,
      intervalBlocks: 100,
      ownerShare: 0,
      burnUid: 0,
    });
    expect(
      loadValidatorConfig({
        ...base,
        NETUID: '7',
        SUBTENSOR_WS_URL: 'wss://node.example:443',
        WEIGHTS_INTERVAL_BLOCKS: '360',
        WEIGHTS_OWNER_SHARE: '0.25',
        WEIGHTS_BURN_UID: '3',
      }).weights,
    ).toMatchObject({ subtensorUrl: 'wss://node.example:443', intervalBlocks: 360, ownerShare: 0.25, burnUid: 3 });
  });

  it.each([
    ['WEIGHTS_OWNER_SHARE', '1.5'],
    ['WEIGHTS_OWNER_SHARE', '-0.1'],
    ['WEIGHTS_INTERVAL_BLOCKS', '0'],
    ['WEIGHTS_BURN_UID', '70000'],
    ['NETUID', 'x'],
    ['SUBTENSOR_WS_URL', 'http://node'],
  ])('names %s=%s when it is wrong', (variable, value) => {
    let error: unknown;
    try {
      loadValidatorConfig({ ...base, NETUID: '7', [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([variable]);
  });
});
