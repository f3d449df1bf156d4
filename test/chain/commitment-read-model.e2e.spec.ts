import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '#platform';
import { eventually, testNamespace, testServices } from '#testing';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * Issue "chain": a commitment written by the miner CLI on the test chain is observed by the chain monitor,
 * projected, and served over REST; a garbage commitment is observed too and served with its rejection reason.
 */
const NETUID = 21;
const REVISION = '89abcdef0123456789abcdef0123456789abcdef';

let platform: Platform;
let node: Platform['node'];
let bob: string;
let charlie: string;

beforeAll(async () => {
  const { natsUrl, databaseUrl } = await testServices();
  const namespace = testNamespace('commitment flow');
  const config = loadConfig({
    NATS_URL: natsUrl,
    DATABASE_URL: databaseUrl,
    KINITRO_NAMESPACE: namespace,
    DATABASE_SCHEMA: namespace,
    API_PORT: '0',
    LOG_LEVEL: 'error',
  });
  platform = await startPlatform(config, { netuid: NETUID });
  ({ node } = platform);
  ({ bob, charlie } = platform.hotkeys);
});

afterAll(async () => {
  await platform?.stop({ dropState: true });
});

const commitmentsOf = async (hotkey: string) => {
  const { body } = await platform.request<{ items: Record<string, unknown>[] }>('GET', `/api/v1/commitments?miner=${hotkey}`);
  return body.items;
};

describe('commitment on chain → CommitmentObserved → read model → REST', () => {
  it('serves what the miner committed with the CLI, decoded, at the block it was included in', async () => {
    // --force: neither competition mt10 nor the repo exists here, and this flow is about what the chain carries.
    const { code, out } = await platform.cli(
      'miner',
      'commit',
      '--competition',
      'mt10',
      '--repo',
      'acme/policy',
      '--revision',
      REVISION,
      '--hotkey-uri',
      '//Bob',
      '--force',
    );
    expect(code).toBe(0);
    const block = Number(/block (\d+)/.exec(out)![1]);
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
