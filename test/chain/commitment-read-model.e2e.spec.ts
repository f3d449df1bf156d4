import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { topology } from '#contracts';
import { applyTopology, connect, deleteTopology, type JetStreamConnection } from '#eventing';
import { loadConfig } from '#platform';
import { LiveProjector } from '#read-models';
import { dropSchemas, eventually, SubtensorTestNode, testNamespace, testServices } from '#testing';
import { createApiApp } from '../../apps/api/src/create-api-app.js';
import { createChainMonitor, type RunningChainMonitor } from '../../apps/chain-monitor/src/create-chain-monitor.js';
import { runCli } from '../../apps/cli/src/cli.js';
import { commands } from '../../apps/cli/src/commands.js';
import { ProjectorModule } from '../../apps/projector/src/projector.module.js';

/**
 * Issue "chain": a commitment written by the miner CLI on the test chain is observed by the chain monitor,
 * projected, and served over REST; a garbage commitment is observed too and served with its rejection reason.
 */
const NETUID = 21;
const REVISION = '89abcdef0123456789abcdef0123456789abcdef';
const namespace = testNamespace('commitment flow');

let node: SubtensorTestNode;
let nats: JetStreamConnection;
let monitor: RunningChainMonitor;
let projector: INestApplicationContext;
let api: NestExpressApplication;
let baseUrl: string;
const stopProjector = new AbortController();
let projecting: Promise<void>;
let databaseUrl: string;
let bob: string;
let charlie: string;

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  [bob, charlie] = ['//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri).address) as [string, string];
  node = await SubtensorTestNode.start();
  for (const hotkey of [bob, charlie]) node.registerNeuron({ netuid: NETUID, hotkey, coldkey: hotkey });

  const services = await testServices();
  databaseUrl = services.databaseUrl;
  nats = await connect(services.natsUrl, 'commitment-flow');
  await applyTopology(nats.jsm, topology(namespace), { replicas: 1 });
  const config = loadConfig({
    NATS_URL: services.natsUrl,
    DATABASE_URL: databaseUrl,
    KINITRO_NAMESPACE: namespace,
    DATABASE_SCHEMA: namespace,
    API_PORT: '0',
    LOG_LEVEL: 'error',
  });

  monitor = await createChainMonitor({ ...config, SUBTENSOR_WS_URL: node.url, NETUID, METAGRAPH_SYNC_BLOCKS: 50 });
  projector = await NestFactory.createApplicationContext(ProjectorModule.register(config), { logger: ['error'] });
  projecting = projector.get(LiveProjector).run(stopProjector.signal);
  api = await createApiApp(config);
  await api.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(api.getHttpServer().address() as { port: number }).port}`;
});

afterAll(async () => {
  stopProjector.abort();
  await projecting;
  await Promise.all([projector?.close(), api?.close(), monitor?.close()]);
  await node?.stop();
  await deleteTopology(nats.jsm, topology(namespace));
  await nats.close();
  await dropSchemas(databaseUrl, namespace);
});

const commitmentsOf = async (hotkey: string) => {
  const response = await fetch(`${baseUrl}/api/v1/commitments?miner=${hotkey}`);
  return ((await response.json()) as { items: Record<string, unknown>[] }).items;
};

describe('commitment on chain → CommitmentObserved → read model → REST', () => {
  it('serves what the miner committed with the CLI, decoded, at the block it was included in', async () => {
    const out: string[] = [];
    const code = await runCli(
      commands,
      ['miner', 'commit', '--competition', 'mt10', '--repo', 'acme/policy', '--revision', REVISION, '--hotkey-uri', '//Bob'],
      { out: (l) => out.push(l), err: (l) => out.push(l), env: { SUBTENSOR_WS_URL: node.url, NETUID: String(NETUID) } },
    );
    expect(code).toBe(0);
    const block = Number(/block (\d+)/.exec(out.join('\n'))![1]);
    node.produceBlocks(2);

    const [served] = await eventually('the commitment to be served', async () => {
      const items = await commitmentsOf(bob);
      return items.length > 0 ? items : undefined;
    });
    expect(served).toMatchObject({
      netuid: NETUID,
      hotkey: bob,
      block,
      valid: true,
      competitionId: 'mt10',
      repo: 'acme/policy',
      revision: REVISION,
      rejectionReason: null,
    });
  });

  it('serves a garbage commitment as observed and rejected, with the reason, and keeps following the chain', async () => {
    node.commitDirectly(NETUID, charlie, new TextEncoder().encode('k1:mt10:not a repo'));
    node.produceBlocks(2);
    const [served] = await eventually('the garbage commitment to be served', async () => {
      const items = await commitmentsOf(charlie);
      return items.length > 0 ? items : undefined;
    });
    expect(served).toMatchObject({ valid: false, competitionId: null, rejectionReason: 'bad_repo_id', rejectionDetail: expect.any(String) });

    const next = node.commitDirectly(NETUID, charlie, new TextEncoder().encode(`k1:mt10:acme/fixed@${REVISION}`));
    node.produceBlocks(2);
    const [latest] = await eventually('the next commitment to be served', async () => {
      const items = await commitmentsOf(charlie);
      return items.length > 1 ? items : undefined;
    });
    expect(latest).toMatchObject({ block: next.number, valid: true, repo: 'acme/fixed' });
  });
});
