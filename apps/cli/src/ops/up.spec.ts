import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../args.js';
import { evaluatorHotkeyFrom, planUp } from './up.js';

describe('planUp', () => {
  it('starts the projector first and gives every app but the API the next health port, evaluators numbered', () => {
    expect(planUp('evaluator,api,projector,chain-monitor,scheduler,validator', 2, 9100)).toEqual([
      { name: 'projector', app: 'projector', healthPort: 9100 },
      { name: 'api', app: 'api' },
      { name: 'chain-monitor', app: 'chain-monitor', healthPort: 9101 },
      { name: 'scheduler', app: 'scheduler', healthPort: 9102 },
      { name: 'validator', app: 'validator', healthPort: 9103 },
      { name: 'evaluator-1', app: 'evaluator', healthPort: 9104 },
      { name: 'evaluator-2', app: 'evaluator', healthPort: 9105 },
    ]);
    expect(planUp(' api , projector ', 1, 7000)).toEqual([
      { name: 'projector', app: 'projector', healthPort: 7000 },
      { name: 'api', app: 'api' },
    ]);
  });

  it('refuses an unknown app or none, naming the flag', () => {
    expect(() => planUp('api,indexer', 1, 9100)).toThrow(
      new UsageError('--apps: unknown app indexer (known: projector, api, chain-monitor, scheduler, validator, evaluator)'),
    );
    expect(() => planUp(',', 1, 9100)).toThrow(UsageError);
  });
});

describe('evaluatorHotkeyFrom', () => {
  it('gives the evaluators the local validator’s hotkey: its URI, else its keystore with the password variable', () => {
    expect(evaluatorHotkeyFrom({ VALIDATOR_HOTKEY_URI: '//Alice', VALIDATOR_KEYSTORE: '/k.json' })).toEqual({ EVALUATOR_HOTKEY_URI: '//Alice' });
    expect(evaluatorHotkeyFrom({ VALIDATOR_KEYSTORE: '/k.json', VALIDATOR_KEYSTORE_PASSWORD_ENV: 'PW' })).toEqual({
      EVALUATOR_KEYSTORE: '/k.json',
      EVALUATOR_KEYSTORE_PASSWORD_ENV: 'PW',
    });
    expect(evaluatorHotkeyFrom({ NATS_URL: 'nats://x' })).toEqual({});
  });
});
