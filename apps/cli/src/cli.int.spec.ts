import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectChain, type PolkadotChain } from '#chain';
import { decodeCommitment } from '#domain';
import { LocalHub, SubtensorTestNode } from '#testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { runCli } from './cli.js';
import { commands } from './commands.js';

const NETUID = 12;
const REV = '0123456789abcdef0123456789abcdef01234567';
const OTHER_REV = 'abcdef0123456789abcdef0123456789abcdef01';
/** The polkadot-js keystore fixture of libs/chain (password "s3cret") and its address. */
const KEYSTORE = fileURLToPath(new URL('../../../libs/chain/src/testdata/keystore-password-s3cret.json', import.meta.url));
const KEYSTORE_ADDRESS = '5G42ABy94pT11j1AuVcJEohvktQ6BcNhjhDkaMueAenRtLr2';
const NOWHERE = ['--ws', 'ws://127.0.0.1:1', '--timeout', '1'];
let node: SubtensorTestNode;
let hub: LocalHub;
let api: Server;
let apiUrl: string;
let dir: string;
let chain: PolkadotChain;
let alice: string;
let bob: string;

/**
 * Stands in for GET /api/v1/competitions/:id of apps/api (CompetitionsController: the CompetitionDto, or 404
 * problem+json), which would need NATS, Postgres and a projector here; test/miner-flow commits against the real one.
 */
const competitions: Record<string, { active: boolean; startsAt: string | null; endsAt: string | null }> = {
  mt10: { active: true, startsAt: null, endsAt: null },
  paused: { active: false, startsAt: null, endsAt: null },
  over: { active: true, startsAt: null, endsAt: '2020-01-01T00:00:00.000Z' },
};

const run = async (...argv: string[]) => runWith({}, ...argv);
const runWith = async (extra: Record<string, string | undefined>, ...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const env = { SUBTENSOR_WS_URL: node.url, NETUID: String(NETUID), KINITRO_TEST_PASSWORD: 's3cret', HF_ENDPOINT: hub.url, KINITRO_API_URL: apiUrl, ...extra };
  const code = await runCli(commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const commit = (competition: string, repo: string, revision: string, ...rest: string[]) =>
  ['miner', 'commit', '--competition', competition, '--repo', repo, '--revision', revision, ...rest] as const;

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [alice, bob] = ['//Alice', '//Bob'].map((uri) => keyring.addFromUri(uri).address) as [string, string];
  [node, hub] = await Promise.all([SubtensorTestNode.start(), LocalHub.start()]);
  node.registerNeuron({ netuid: NETUID, hotkey: alice, coldkey: alice });
  node.registerNeuron({ netuid: NETUID, hotkey: bob, coldkey: bob });
  node.registerNeuron({ netuid: NETUID, hotkey: KEYSTORE_ADDRESS, coldkey: KEYSTORE_ADDRESS });
  await hub.createRepo('acme/policy', { 'kinitro.json': '{}' }, { sha: REV });
  await hub.createRepo('acme/other', { 'kinitro.json': '{}' }, { sha: OTHER_REV });
  api = createServer((req, res) => {
    const id = decodeURIComponent(/^\/api\/v1\/competitions\/([^/?]+)$/.exec(req.url ?? '')?.[1] ?? '');
    const found = competitions[id];
    if (!found)
      return res.writeHead(404, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ status: 404, detail: `competition ${id} not found` }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, ...found }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'kinitro-cli-keys-'));
  chain = await connectChain(node.url);
});

afterAll(async () => {
  await chain?.close();
  await node?.stop();
  await hub?.close();
  await new Promise((resolve) => api?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('kinitro miner commit / show-commitment against the test node', () => {
  it('checks the competition and the revision, commits, and the commitment reads back at its block', async () => {
    const result = await run(...commit('mt10', 'acme/policy', REV, '--hotkey-uri', '//Alice'));
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('competition mt10 is active');
    expect(result.out).toContain(`acme/policy@${REV} is commit ${REV} on ${hub.url}`);
    const [, number, hash] = /block (\d+) (0x[0-9a-f]{64})/.exec(result.out)!;
    expect(await chain.blockNumber(hash as `0x${string}`)).toBe(Number(number));

    expect(await chain.commitmentChanges(hash as `0x${string}`, NETUID)).toEqual([{ netuid: NETUID, hotkey: alice, event: 'Commitment' }]);
    const record = await chain.commitmentAt(hash as `0x${string}`, NETUID, alice);
    expect(record?.block).toBe(Number(number));
    expect(decodeCommitment(record!.raw)).toEqual({ ok: true, value: { competitionId: 'mt10', repo: 'acme/policy', revision: REV } });

    const shown = await run('miner', 'show-commitment', '--hotkey', alice, '--json');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ block: Number(number), commitment: { competitionId: 'mt10', repo: 'acme/policy', revision: REV } });
  });

  it('signs with a password-protected keystore, the password read from the variable --password-env names', async () => {
    const result = await run(...commit('mt10', 'acme/other', 'abcdef0', '--keystore', KEYSTORE, '--password-env', 'KINITRO_TEST_PASSWORD'));
    // err in the expectation, so a failure shows what the CLI said.
    expect(result).toEqual({ code: 0, out: expect.stringContaining(`for ${KEYSTORE_ADDRESS}`), err: expect.any(String) });
    expect(result.out).toContain(`acme/other@abcdef0 is commit ${OTHER_REV}`);
    const head = await chain.finalizedHead();
    expect((await chain.commitmentAt(head.hash, NETUID, KEYSTORE_ADDRESS))?.raw).toEqual(new TextEncoder().encode('k1:mt10:acme/other@abcdef0'));
  });

  it('shows how the platform reads a commitment it would reject', async () => {
    node.commitDirectly(NETUID, bob, Uint8Array.of(0x6b, 0x31, 0x3a, 0xff, 0xfe));
    const shown = await run('miner', 'show-commitment', '--hotkey', bob);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/the platform rejects it: non_utf8/);
  });

  it('exits 3 when the hotkey has no commitment', async () => {
    const charlie = new Keyring({ type: 'sr25519' }).addFromUri('//Charlie').address;
    const shown = await run('miner', 'show-commitment', '--hotkey', charlie);
    expect(shown).toMatchObject({ code: 3, out: expect.stringMatching(/no commitment for/) });
  });

  it('exits 1 saying the hotkey is not registered on the subnet, for an unregistered hotkey and for a wrong netuid', async () => {
    const eve = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Eve').address;
    const unregistered = await run(...commit('mt10', 'acme/policy', REV, '--hotkey-uri', '//Eve'));
    expect(unregistered.code).toBe(1);
    expect(unregistered.err).toBe(
      `kinitro miner commit: set_commitment failed on chain: hotkey ${eve} is not registered on subnet ${NETUID} (Commitments.AccountNotAllowedCommit)`,
    );
    const wrongSubnet = await run(...commit('mt10', 'acme/policy', REV, '--hotkey-uri', '//Alice', '--netuid', '99'));
    expect(wrongSubnet.code).toBe(1);
    expect(wrongSubnet.err).toContain(`hotkey ${alice} is not registered on subnet 99 (Commitments.AccountNotAllowedCommit)`);
  });

  it('exits 1 naming the URL when no node answers', async () => {
    const result = await run('miner', 'show-commitment', '--hotkey', alice, ...NOWHERE);
    expect(result).toMatchObject({ code: 1, err: expect.stringMatching(/ws:\/\/127\.0\.0\.1:1/) });
  });
});

describe('kinitro miner commit checks before it spends a transaction', () => {
  // NOWHERE points the chain at a closed port: a refusal that names the competition or the revision came before any connection.
  it.each([
    [commit('nope', 'acme/policy', REV), `competition "nope" does not exist on the platform at `],
    [commit('paused', 'acme/policy', REV), 'competition "paused" is not active: the platform would reject the commitment'],
    [commit('over', 'acme/policy', REV), 'competition "over" closed at 2020-01-01T00:00:00.000Z'],
    [commit('mt10', 'acme/policy', 'fedcba9'), `revision fedcba9 is not a commit of acme/policy on `],
    [commit('mt10', 'acme/missing', REV), 'repo acme/missing does not exist on '],
  ])('refuses %j (exit 1)', async (argv, message) => {
    const result = await run(...argv, '--hotkey-uri', '//Alice', ...NOWHERE);
    expect(result.code).toBe(1);
    expect(result.err).toContain(message);
    expect(result.err).not.toContain('127.0.0.1:1');
  });

  it('refuses when the API cannot be reached, pointing at --force', async () => {
    const result = await runWith({ KINITRO_API_URL: 'http://127.0.0.1:9' }, ...commit('mt10', 'acme/policy', REV, '--hotkey-uri', '//Alice', ...NOWHERE));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/cannot check competition "mt10": cannot reach the API at http:\/\/127\.0\.0\.1:9.*pass --force to commit without checking/);
  });

  it('says it does not check the competition when KINITRO_API_URL is unset, and still checks the revision', async () => {
    const unchecked = await runWith({ KINITRO_API_URL: undefined }, ...commit('mt10', 'acme/policy', REV, '--hotkey-uri', '//Alice'));
    expect(unchecked.code).toBe(0);
    expect(unchecked.err).toBe('kinitro miner commit: not checking competition "mt10": KINITRO_API_URL is not set (set it or pass --api to check)');
    expect(unchecked.out).toContain(`is commit ${REV}`);
    const missing = await runWith({ KINITRO_API_URL: undefined }, ...commit('mt10', 'acme/policy', 'fedcba9', '--hotkey-uri', '//Alice', ...NOWHERE));
    expect(missing.code).toBe(1);
  });

  it('commits without checking with --force', async () => {
    const result = await run(...commit('nope', 'acme/missing', 'fedcba9', '--hotkey-uri', '//Alice', '--force'));
    expect(result).toMatchObject({ code: 0, err: '' });
    const head = await chain.finalizedHead();
    expect((await chain.commitmentAt(head.hash, NETUID, alice))?.raw).toEqual(new TextEncoder().encode('k1:nope:acme/missing@fedcba9'));
  });

  it('refuses a malformed keystore in one line naming the file (exit 1)', async () => {
    const file = join(dir, 'hotkey.json');
    await writeFile(file, '{"secretSeed": "0x1234"}');
    const result = await run(...commit('mt10', 'acme/policy', REV, '--keystore', file));
    expect(result).toMatchObject({ code: 1, err: `kinitro miner commit: keystore ${file}: "secretSeed" must be a 32-byte hex seed (0x and 64 hex digits)` });
  });
});
