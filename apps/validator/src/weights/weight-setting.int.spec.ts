import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { deriveId, newEvent, type RecordedEventOf } from '#contracts';
import { SubtensorTestNode } from '#testing';
import { MINER, VALIDATOR, ValidatorTestBed } from '../testing/validator-test-bed.js';
import type { WeightsConfig } from './config.js';

/**
 * The validator //Bob scores the log and sets weights on the in-repo Subtensor test node (real Finney metadata,
 * the real @polkadot/api), with commit-reveal off and on, set explicitly per subnet. //Alice (the miner) is uid 1;
 * //Charlie, a second validator with a permit, reports the result that makes her champion.
 */
let owner: string;
let charlie: string;

let node: SubtensorTestNode;
let api: ApiPromise;
let bed: ValidatorTestBed;

const weightsConfig = (netuid: number): WeightsConfig => ({
  netuid,
  subtensorUrl: node.url,
  connectTimeoutMs: 10_000,
  intervalBlocks: 1_000,
  ownerShare: 0,
  burnUid: 0,
});

/** The subnet: uid 0 the owner, uid 1 the miner, uid 2 the validator under test, uid 3 the validator reporting. */
const subnet = (netuid: number, hyper: Parameters<SubtensorTestNode['setHyperparameters']>[1]) => {
  node.registerNeuron({ netuid, hotkey: owner, coldkey: owner });
  node.registerNeuron({ netuid, hotkey: MINER, coldkey: MINER });
  node.registerNeuron({ netuid, hotkey: VALIDATOR, coldkey: VALIDATOR, stake: 10n ** 12n, validatorPermit: true });
  node.registerNeuron({ netuid, hotkey: charlie, coldkey: charlie, stake: 10n ** 12n, validatorPermit: true });
  node.setHyperparameters(netuid, { weightsSetRateLimit: 0, ...hyper });
};

/**
 * A revision of its own per test: the tests share one log, and scoring judges each (hotkey, revision) once, so a
 * second test committing the same revision would be an ineligible re-commit.
 */
const revisionOf = (name: string): string => createHash('sha1').update(name).digest('hex');

/** What the other apps would have appended: the metagraph, the miner's accepted submission and job, Charlie's result. */
const scoringLog = async (netuid: number, name: string): Promise<number> => {
  const neuron = (hotkey: string, uid: number, validatorPermit: boolean) => ({ uid, hotkey, coldkey: hotkey, stake: '1000', validatorPermit, active: true });
  await bed.store.append(
    'metagraph',
    `${netuid}`,
    [
      newEvent('MetagraphSynced', {
        netuid,
        block: node.head.number,
        blockHash: node.head.hash,
        neurons: [neuron(owner, 0, false), neuron(MINER, 1, false), neuron(VALIDATOR, 2, true), neuron(charlie, 3, true)],
      }),
    ],
    { expected: 'any' },
  );
  const submissionId = deriveId('submission', bed.topology.namespace, name);
  await bed.store.append(
    'submission',
    submissionId,
    [
      newEvent('SubmissionAccepted', {
        submissionId,
        hotkey: MINER,
        block: 1,
        commitmentEventId: deriveId('commitment', name),
        competitionId: 'mt10',
        repo: 'miner/agent',
        revision: revisionOf(name),
        repoBytes: 1,
      }),
    ],
    { expected: 'any' },
  );
  const job = await bed.job(name);
  const evaluationId = deriveId('evaluation', job.data.jobId, charlie);
  // Charlie's claim, then the result (scoring counts results only of claimed evaluations).
  const [, result] = await bed.store.append(
    'evaluation',
    evaluationId,
    [
      newEvent('EvaluationClaimed', { evaluationId, jobId: job.data.jobId, validator: charlie, plannedEpisodes: 4 }),
      newEvent('EvaluationCompleted', { evaluationId, jobId: job.data.jobId, validator: charlie, episodes: 4, successRate: 0.75, meanReward: 1, tasks: [] }),
    ],
    { expected: 'any' },
  );
  return result!.streamSequence;
};

/** Scoring's as-of sequence: the last scoring input folded, at or after Charlie's result (claims are inputs too). */
const atOrAfter = (asOf: number) => ({ asymmetricMatch: (n: unknown) => typeof n === 'number' && n >= asOf, toString: () => `a sequence >= ${asOf}` });

const weightsEvents = async (netuid: number) => (await bed.events()).filter((e) => e.aggregate === 'weights' && e.aggregateId === `${netuid}:${VALIDATOR}`);

/** The chain's `Weights` of the validator's uid at a block, as [uid, value] pairs. */
const storedWeights = async (netuid: number, block: number) => {
  const at = await api.at((await api.rpc.chain.getBlockHash(block)).toHex());
  return (await at.query['subtensorModule']!['weights']!(netuid, 2)).toJSON();
};

/**
 * What the SDK's process_weights_for_netuid makes of "all to uid 1" on this 4-neuron subnet, read from the chain's
 * own MinAllowedWeights (Finney's default 1024 exceeds the subnet: uniform; a lower one pads or keeps uid 1 alone).
 */
const expectedVector = async (netuid: number) => {
  const minAllowed = Number((await api.query['subtensorModule']!['minAllowedWeights']!(netuid)).toString());
  if (minAllowed > 4) return { uids: [0, 1, 2, 3], weights: [65535, 65535, 65535, 65535] };
  if (minAllowed > 1) return { uids: [0, 1, 2, 3], weights: [1, 65535, 1, 1] };
  return { uids: [1], weights: [65535] };
};

/** Produces a block per poll until the probe finds what it looks for (blocks are made on demand in these tests). */
const untilWithBlocks = async <T>(what: string, probe: () => Promise<T | undefined>, maxBlocks = 40): Promise<T> => {
  for (let i = 0; i < maxBlocks; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    node.produceBlocks(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`no ${what} after ${maxBlocks} blocks`);
};

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [owner, charlie] = ['//Eve', '//Charlie'].map((uri) => keyring.addFromUri(uri).address) as [string, string];
  node = await SubtensorTestNode.start();
  api = await ApiPromise.create({ provider: new WsProvider(node.url), noInitWarn: true });
  bed = await ValidatorTestBed.start('weights');
  await bed.competition('mt10');
});

afterAll(async () => {
  await bed?.dispose();
  await api?.disconnect();
  await node?.stop();
});

describe('the validator sets weights on the test chain', () => {
  it('with commit-reveal off: scores, weights computed as of the log, set_weights, and the chain stores what WeightsSet says', async () => {
    const netuid = 11;
    subnet(netuid, { commitRevealWeightsEnabled: false });
    const asOf = await scoringLog(netuid, 'direct');
    const running = await bed.startValidator({ weights: weightsConfig(netuid) });
    const set = await untilWithBlocks(
      'WeightsSet',
      async () => (await weightsEvents(netuid)).find((e) => e.type === 'WeightsSet') as RecordedEventOf<'WeightsSet'> | undefined,
    );
    await bed.stopValidator(running);

    const events = await weightsEvents(netuid);
    expect(events.map((e) => e.type)).toEqual(['ScoresComputed', 'WeightsComputed', 'WeightsSet']);
    const [scores, computed] = events as [RecordedEventOf<'ScoresComputed'>, RecordedEventOf<'WeightsComputed'>];
    expect(scores.data).toMatchObject({
      upToSequence: atOrAfter(asOf),
      scores: [{ uid: 1, hotkey: MINER, score: 0.75, role: 'champion', validators: [charlie] }],
      weights: [{ uid: 1, weight: 1 }],
    });
    expect(computed.data).toMatchObject({ upToSequence: atOrAfter(asOf), uids: [1], weights: [1] });
    expect(set.data).toMatchObject({ upToSequence: atOrAfter(asOf), ...(await expectedVector(netuid)) });
    expect(set.data.commitBlock).toBeUndefined();
    expect(await storedWeights(netuid, set.data.block)).toEqual(set.data.uids.map((uid, i) => [uid, set.data.weights[i]]));
  }, 60_000);

  it('with commit-reveal on: commits, a validator restarted before the window reveals inside it, and the chain stores what WeightsSet says', async () => {
    const netuid = 12;
    // Reveal two epochs of 4 blocks after the commit's epoch: the first process is stopped before the window opens.
    subnet(netuid, { commitRevealWeightsEnabled: true, tempo: 4, revealPeriodEpochs: 2 });
    await scoringLog(netuid, 'commit');
    const first = await bed.startValidator({ weights: weightsConfig(netuid) });
    const commit = await untilWithBlocks(
      'WeightsCommitted',
      async () => (await weightsEvents(netuid)).find((e) => e.type === 'WeightsCommitted') as RecordedEventOf<'WeightsCommitted'> | undefined,
    );
    await bed.stopValidator(first);
    expect(commit.data.revealFromBlock).toBeGreaterThan(node.head.number + 1);
    expect(commit.data.salt).toHaveLength(8);

    const second = await bed.startValidator({ weights: weightsConfig(netuid) });
    const set = await untilWithBlocks(
      'the reveal',
      async () => (await weightsEvents(netuid)).find((e) => e.type === 'WeightsSet') as RecordedEventOf<'WeightsSet'> | undefined,
    );
    await bed.stopValidator(second);

    expect(set.data).toMatchObject({ commitBlock: commit.data.block, uids: commit.data.uids, weights: commit.data.weights });
    expect(set.data).toMatchObject(await expectedVector(netuid));
    expect(set.data.block).toBeGreaterThanOrEqual(commit.data.revealFromBlock);
    expect(set.data.block).toBeLessThanOrEqual(commit.data.revealUntilBlock);
    expect((await weightsEvents(netuid)).map((e) => e.type)).toEqual(['ScoresComputed', 'WeightsComputed', 'WeightsCommitted', 'WeightsSet']);
    expect(await storedWeights(netuid, set.data.block)).toEqual(set.data.uids.map((uid, i) => [uid, set.data.weights[i]]));
  }, 60_000);

  it('with commit-reveal on: a validator that was down through the whole window records it and commits again', async () => {
    const netuid = 13;
    subnet(netuid, { commitRevealWeightsEnabled: true, tempo: 4, revealPeriodEpochs: 2 });
    await scoringLog(netuid, 'missed');
    const first = await bed.startValidator({ weights: weightsConfig(netuid) });
    const commit = await untilWithBlocks(
      'WeightsCommitted',
      async () => (await weightsEvents(netuid)).find((e) => e.type === 'WeightsCommitted') as RecordedEventOf<'WeightsCommitted'> | undefined,
    );
    await bed.stopValidator(first);
    node.produceBlocks(commit.data.revealUntilBlock - node.head.number + 1);

    const second = await bed.startValidator({ weights: weightsConfig(netuid) });
    const set = await untilWithBlocks(
      'the reveal of the new commit',
      async () => (await weightsEvents(netuid)).find((e) => e.type === 'WeightsSet') as RecordedEventOf<'WeightsSet'> | undefined,
    );
    await bed.stopValidator(second);

    const events = await weightsEvents(netuid);
    expect(events.map((e) => e.type)).toEqual([
      'ScoresComputed',
      'WeightsComputed',
      'WeightsCommitted',
      'WeightsSetFailed',
      'ScoresComputed',
      'WeightsComputed',
      'WeightsCommitted',
      'WeightsSet',
    ]);
    const failed = events[3] as RecordedEventOf<'WeightsSetFailed'>;
    expect(failed.data).toMatchObject({ commitBlock: commit.data.block, reason: expect.stringMatching(/reveal window .* passed/) });
    const recommit = events[6] as RecordedEventOf<'WeightsCommitted'>;
    expect(set.data.commitBlock).toBe(recommit.data.block);
    expect(await storedWeights(netuid, set.data.block)).toEqual(set.data.uids.map((uid, i) => [uid, set.data.weights[i]]));
  }, 60_000);
});
