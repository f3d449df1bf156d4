import { describe, expect, it } from '@jest/globals';
import { createUser } from '@nats-io/nkeys';
import { topology } from '#contracts';
import { natsAuthorization, renderAuthorization } from './nats-authorization.js';
import { AccessConfigError, validatorPermissions } from './validator-permissions.js';

const A = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const B = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const NKEY_A = createUser().getPublicKey();
const NKEY_B = createUser().getPublicKey();
const OWNER = createUser().getPublicKey();
const t = topology('kinitro');

describe('validatorPermissions', () => {
  it('allows exactly the subjects a validator and its evaluators use, and carves the reserved durables out of the ordered reads', () => {
    const permissions = validatorPermissions({
      topology: t,
      netuids: [7],
      validator: { hotkey: A, nkey: NKEY_A },
      reservedConsumers: ['scheduler', `validator-${B}`, `validator-${A}`],
    });
    // Written out by hand from what the apps do (see the module's comments), not derived from the code.
    expect(permissions.publish.allow).toEqual([
      'kinitro.evt.evaluation.*',
      'kinitro.evt.episode.*',
      `kinitro.evt.weights.7:${A}`,
      `kinitro.work.episode.${A}.>`,
      `kinitro.dlq.validator-${A}`,
      `kinitro.dlq.evaluator-${A}`,
      '$KV.KINITRO_ACTIVITY.>',
      '$JS.API.INFO',
      '$JS.API.STREAM.INFO.KINITRO_EVENTS',
      '$JS.API.STREAM.INFO.KINITRO_WORK',
      '$JS.API.STREAM.INFO.KINITRO_DLQ',
      '$JS.API.STREAM.INFO.KV_KINITRO_ACTIVITY',
      '$JS.API.STREAM.MSG.GET.KINITRO_EVENTS',
      '$JS.API.DIRECT.GET.KINITRO_EVENTS',
      '$JS.API.DIRECT.GET.KINITRO_EVENTS.>',
      '$JS.API.CONSUMER.CREATE.KINITRO_EVENTS.*',
      '$JS.API.CONSUMER.CREATE.KINITRO_EVENTS.*.>',
      '$JS.API.CONSUMER.INFO.KINITRO_EVENTS.*',
      '$JS.API.CONSUMER.DELETE.KINITRO_EVENTS.*',
      '$JS.API.CONSUMER.MSG.NEXT.KINITRO_EVENTS.*',
      `$JS.ACK.KINITRO_EVENTS.validator-${A}.>`,
      '$JS.API.STREAM.MSG.GET.KINITRO_WORK',
      '$JS.API.STREAM.MSG.DELETE.KINITRO_WORK',
      `$JS.API.CONSUMER.CREATE.KINITRO_WORK.evaluator-${A}.kinitro.work.episode.${A}.>`,
      `$JS.API.CONSUMER.INFO.KINITRO_WORK.evaluator-${A}`,
      `$JS.API.CONSUMER.MSG.NEXT.KINITRO_WORK.evaluator-${A}`,
      `$JS.ACK.KINITRO_WORK.evaluator-${A}.>`,
    ]);
    // Its own durable is not reserved against itself.
    expect(permissions.publish.deny).toEqual(
      ['scheduler', `validator-${B}`].flatMap((name) => [
        `$JS.API.CONSUMER.CREATE.KINITRO_EVENTS.${name}`,
        `$JS.API.CONSUMER.CREATE.KINITRO_EVENTS.${name}.>`,
        `$JS.API.CONSUMER.INFO.KINITRO_EVENTS.${name}`,
        `$JS.API.CONSUMER.DELETE.KINITRO_EVENTS.${name}`,
        `$JS.API.CONSUMER.MSG.NEXT.KINITRO_EVENTS.${name}`,
      ]),
    );
    expect(permissions.subscribe).toEqual({ allow: [`_INBOX_${A}.>`], deny: [] });
  });

  it.each([
    [{ hotkey: `${A.slice(0, -1)}*`, nkey: NKEY_A }, /validator hotkey .* is not an SS58 address/],
    [{ hotkey: 'kinitro.>', nkey: NKEY_A }, /validator hotkey/],
    [{ hotkey: A, nkey: `${NKEY_A}A` }, /validator nkey .* is not an nkey user public key/],
    [{ hotkey: A, nkey: NKEY_A.replace(/^U/, 'A') }, /validator nkey/],
  ])('refuses %j, naming the field', (validator, message) => {
    expect(() => validatorPermissions({ topology: t, netuids: [7], validator, reservedConsumers: [] })).toThrow(message);
  });

  it('refuses a reserved consumer or a netuid that is not one literal token', () => {
    for (const name of ['a.b', 'a*', '>', 'a b', '', '-x']) {
      expect(() => validatorPermissions({ topology: t, netuids: [7], validator: { hotkey: A, nkey: NKEY_A }, reservedConsumers: [name] })).toThrow(
        AccessConfigError,
      );
    }
    for (const netuids of [[], [-1], [1.5], [65_536]]) {
      expect(() => validatorPermissions({ topology: t, netuids, validator: { hotkey: A, nkey: NKEY_A }, reservedConsumers: [] })).toThrow(/netuid/);
    }
  });
});

describe('natsAuthorization', () => {
  it('gives the owners no permissions block and reserves every other validator and the scheduler for each validator', () => {
    const { users } = natsAuthorization({
      topology: t,
      netuids: [7],
      owners: [OWNER],
      validators: [
        { hotkey: A, nkey: NKEY_A },
        { hotkey: B, nkey: NKEY_B },
      ],
      ownerConsumers: ['api_feed'],
    });
    expect(users.map((u) => [u.nkey, u.permissions === undefined])).toEqual([
      [OWNER, true],
      [NKEY_A, false],
      [NKEY_B, false],
    ]);
    const reservedFor = (i: number) =>
      users[i]!.permissions!.publish.deny.filter((s) => s.startsWith('$JS.API.CONSUMER.DELETE.')).map((s) => s.split('.').at(-1));
    expect(reservedFor(1)).toEqual(['scheduler', 'api_feed', `validator-${B}`]);
    expect(reservedFor(2)).toEqual(['scheduler', 'api_feed', `validator-${A}`]);
  });

  it.each([
    [{ owners: [] }, /owner nkey/],
    [
      {
        validators: [
          { hotkey: A, nkey: NKEY_A },
          { hotkey: A, nkey: NKEY_B },
        ],
      },
      /validator hotkey .* is given twice/,
    ],
    [
      {
        validators: [
          { hotkey: A, nkey: NKEY_A },
          { hotkey: B, nkey: NKEY_A },
        ],
      },
      /nkey .* is given twice/,
    ],
    [{ validators: [{ hotkey: A, nkey: OWNER }] }, /nkey .* is given twice/],
  ])('refuses %j', (override, message) => {
    expect(() => natsAuthorization({ topology: t, netuids: [7], owners: [OWNER], validators: [], ...override })).toThrow(message);
  });

  it('renders a block whose subjects are all quoted, under a comment', () => {
    const text = renderAuthorization(
      natsAuthorization({ topology: t, netuids: [7], owners: [OWNER], validators: [{ hotkey: A, nkey: NKEY_A }] }),
      'line one\nline two',
    );
    expect(text.split('\n').slice(0, 3)).toEqual(['# line one', '# line two', 'authorization: {']);
    expect(text).not.toMatch(/[^"]\$JS/);
  });
});
