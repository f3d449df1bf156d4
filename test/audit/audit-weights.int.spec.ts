import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { connectChain, type PolkadotChain } from '#chain';
import { newEvent, type AggregateType } from '#contracts';
import { deriveWeights } from '#domain';
import { SubtensorTestNode } from '#testing';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
// The API's own test bed, in-process: the audit reads its real routes (and, with --nats, the same log directly).
import { startApiTestBed, type ApiTestBed } from '../../apps/api/src/testing/api-test-bed.js';
import { recordScoringLog, type ScoringLog } from '../../libs/domain/src/scoring/testing/scoring-log.js';
import { runCli } from '../../apps/cli/src/cli.js';
import { commands } from '../../apps/cli/src/commands.js';

jest.setTimeout(60_000);

const NETUID = 9;
let bed: ApiTestBed;
let node: SubtensorTestNode;
let chain: PolkadotChain;
let log: ScoringLog;
let keys: Record<'alice' | 'bob' | 'charlie' | 'dave' | 'eve' | 'ferdie', KeyringPair>;
/** Stream sequences and blocks of what each validator's story appended. */
const w = { aliceSetBlock: 0, aliceSet: 0, bobTampered: 0, charlieComputed: 0, charlieSetBlock: 0 };

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(commands, ['audit', 'weights', '--netuid', String(NETUID), ...args], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const viaNats = () => ['--nats', process.env.NATS_URL ?? 'nats://127.0.0.1:4222', '--namespace', bed.topology.namespace];

/**
 * The scoring library's log (validators Alice, Bob, Charlie; miners Dave, Eve; owner Ferdie), registered on the
 * in-repo Subtensor node with the same uids as in the log's metagraph (0 Ferdie, 1 Dave, 2 Eve, 3-5 the validators).
 *  - Alice computed the weights and set them on chain through the real set_weights: everything agrees.
 *  - Bob's WeightsComputed is tampered with (0.5/0.5 where the log gives 0.25/0.75).
 *  - Charlie's WeightsComputed and WeightsSet are right, but what it set on chain is another vector.
 */
beforeAll(async () => {
  await cryptoWaitReady();
  bed = await startApiTestBed('cli audit weights');
  node = await SubtensorTestNode.start();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  keys = Object.fromEntries(
    ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'].map((n) => [n, keyring.addFromUri(`//${n[0]!.toUpperCase()}${n.slice(1)}`)]),
  ) as typeof keys;
  for (const [hotkey, permit] of [
    [keys.ferdie, false],
    [keys.dave, false],
    [keys.eve, false],
    [keys.alice, true],
    [keys.bob, true],
    [keys.charlie, true],
  ] as const) {
    node.registerNeuron({ netuid: NETUID, hotkey: hotkey.address, coldkey: keys.ferdie.address, stake: 1_000_000_000n, validatorPermit: permit });
  }
  node.setHyperparameters(NETUID, { commitRevealWeightsEnabled: false, weightsSetRateLimit: 0 });
  chain = await connectChain(node.url);

  const append = async (aggregate: string, id: string, event: Parameters<typeof bed.store.append>[2][number]) =>
    (await bed.store.append(aggregate as AggregateType, id, [event], { expected: 'any' }))[0]!;
  log = await recordScoringLog(append, {
    netuid: NETUID,
    validators: [keys.alice.address, keys.bob.address, keys.charlie.address],
    miners: [keys.dave.address, keys.eve.address],
    owner: keys.ferdie.address,
  });
  const { uids, weights, upToSequence } = log.derivation.weights;
  const vector = uids.map((uid, i) => ({ uid, weight: weights[i]! }));

  const aliceSet = await chain.setWeights({ netuid: NETUID, weights: vector }, keys.alice);
  if (aliceSet.kind !== 'set') throw new Error('the test subnet sets weights directly');
  w.aliceSetBlock = aliceSet.inclusion.block.number;
  const ref = (v: KeyringPair) => ({ netuid: NETUID, validator: v.address, upToSequence });
  w.aliceSet = (
    await append(
      'weights',
      `${NETUID}:${keys.alice.address}`,
      newEvent('WeightsSet', {
        ...ref(keys.alice),
        block: w.aliceSetBlock,
        extrinsicHash: aliceSet.inclusion.extrinsicHash,
        uids: aliceSet.uids,
        weights: aliceSet.values,
      }),
    )
  ).streamSequence;

  w.bobTampered = (
    await append('weights', `${NETUID}:${keys.bob.address}`, newEvent('WeightsComputed', { ...ref(keys.bob), uids: [0, 1], weights: [0.5, 0.5] }))
  ).streamSequence;

  const charlie = deriveWeights(log.inputs, NETUID, keys.charlie.address, upToSequence);
  w.charlieComputed = (await append('weights', `${NETUID}:${keys.charlie.address}`, newEvent('WeightsComputed', charlie.weights))).streamSequence;
  const charlieSet = await chain.setWeights(
    {
      netuid: NETUID,
      weights: [
        { uid: 0, weight: 1 },
        { uid: 2, weight: 1 },
      ],
    },
    keys.charlie,
  );
  if (charlieSet.kind !== 'set') throw new Error('the test subnet sets weights directly');
  w.charlieSetBlock = charlieSet.inclusion.block.number;
  // What the log claims Charlie set: exactly Alice's (right) vector.
  await append(
    'weights',
    `${NETUID}:${keys.charlie.address}`,
    newEvent('WeightsSet', {
      ...ref(keys.charlie),
      block: w.charlieSetBlock,
      extrinsicHash: charlieSet.inclusion.extrinsicHash,
      uids: aliceSet.uids,
      weights: aliceSet.values,
    }),
  );
});
afterAll(async () => {
  await chain?.close();
  await node?.stop();
  await bed?.dispose();
});

describe('kinitro audit weights', () => {
  it('exits 0 when the log, its WeightsComputed and the chain agree, and prints the hash chain over the inputs', async () => {
    const result = await run(['--as-of', String(w.aliceSet), '--validator', keys.alice.address, ...viaNats(), '--ws', node.url]);
    expect([result.code, result.err]).toEqual([0, '']);
    // uid 0 gets 1/3 of uid 1's weight: 65535 / 3 = 21845.
    expect(result.out).toContain(`agrees   chain: SubtensorModule.Weights at block ${w.aliceSetBlock} agrees: uids [0, 1] weights [21845, 65535]`);
    expect(result.out).toContain(`agrees   WeightsComputed: sequence ${log.weightsComputed.streamSequence} agrees: uids [0, 1] weights [0.25, 0.75]`);
    expect(result.out).toContain(`agrees   ScoresComputed: sequence ${log.scoresComputed.streamSequence} agrees (2 entries)`);
    for (const [link, hash] of Object.entries(log.derivation.chain)) expect(result.out).toContain(`    ${link.padEnd(11)} ${hash}`);
    expect(result.out).toMatch(/result: every check agrees$/);
  });

  it('reads the same log through the API’s audit routes, as of a block, to the same chain', async () => {
    const result = await run(['--as-of', `block:${w.aliceSetBlock}`, '--validator', keys.alice.address, '--api', bed.baseUrl, '--ws', node.url, '--json']);
    expect([result.code, result.err]).toEqual([0, '']);
    const report = JSON.parse(result.out);
    expect(report.audits).toHaveLength(1);
    expect(report.audits[0]).toMatchObject({ validator: keys.alice.address, chain: log.derivation.chain, weights: { uids: [0, 1], weights: [0.25, 0.75] } });
    expect(report.audits[0].checks.map((c: { subject: string; ok: boolean }) => [c.subject, c.ok])).toEqual([
      ['WeightsComputed', true],
      ['ScoresComputed', true],
      ['WeightsSet', true],
      ['chain', true],
    ]);
  });

  it('exits 1 naming the mismatch when a WeightsComputed is not what the log gives', async () => {
    const result = await run(['--as-of', String(w.bobTampered), '--validator', keys.bob.address, ...viaNats()]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `MISMATCH WeightsComputed: sequence ${w.bobTampered} says uids [0, 1] weights [0.5, 0.5]; the log re-derives uids [0, 1] weights [0.25, 0.75]`,
    );
    expect(result.out).toContain('skipped  chain: no --ws (or SUBTENSOR_WS_URL) given');
    expect(result.out).toMatch(/result: 1 mismatch$/);
  });

  it('exits 1 when the chain stored other weights than the log says were set', async () => {
    const result = await run(['--as-of', String(w.charlieComputed), '--validator', keys.charlie.address, ...viaNats(), '--ws', node.url]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('agrees   WeightsComputed');
    expect(result.out).toContain('agrees   WeightsSet');
    expect(result.out).toContain(
      `MISMATCH chain: SubtensorModule.Weights at block ${w.charlieSetBlock} holds uids [0, 2] weights [65535, 65535]; the re-derived weights quantise to uids [0, 1] weights [21845, 65535]`,
    );
  });

  it('audits every validator with weights at the point when none is named; nothing at that point exits 3', async () => {
    const all = await run(['--as-of', String(w.charlieComputed), ...viaNats(), '--json']);
    expect(all.code).toBe(1);
    expect(JSON.parse(all.out).audits.map((a: { validator: string }) => a.validator)).toEqual(
      [keys.alice.address, keys.bob.address, keys.charlie.address].sort(),
    );
    const before = await run(['--as-of', String(log.weightsComputed.streamSequence - 1), ...viaNats()]);
    expect(before.code).toBe(3);
    expect(before.out).toContain('nothing to audit');
  });

  it('refuses a bad --as-of, a missing source or two sources (exit 2)', async () => {
    expect((await run(['--as-of', 'yesterday', ...viaNats()])).err).toMatch(/--as-of must be a stream sequence/);
    expect((await run(['--as-of', '5'])).code).toBe(2);
    expect((await run(['--as-of', '5', ...viaNats(), '--api', bed.baseUrl])).err).toMatch(/exactly one of --nats/);
  });
});
