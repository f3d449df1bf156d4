import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#platform';
import { eventually, testNamespace, testServices } from '#testing';
import { LiveClient } from '../../apps/api/src/testing/ws-client.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * The miner's path through the whole platform: `kinitro miner upload` to the (local) Hub, `kinitro miner commit`
 * on the test chain, the chain monitor observing it, the scheduler validating it against the Hub and creating one
 * job per benchmark, the projector serving them over REST, the live feed pushing them over WS, and
 * `kinitro miner status` showing the outcome, a rejection included.
 */
const manifest = { name: 'e2e-agent', version: '1.0.0', protocol: 'grpc', agentApiVersion: 'v1', entrypoint: { command: 'python', args: ['serve.py'] } };

let platform: Platform;
let live: LiveClient;
let agentDir: string;
let bob: string;

const cli = (...argv: string[]) => platform.cli(...argv);
const get = async (path: string) => (await platform.request('GET', path)).body as { items: Record<string, any>[]; total: number };
const getOne = async (path: string) => (await platform.request('GET', path)).body as Record<string, any>;
const admin = async (path: string, body: unknown = {}) => platform.request('POST', `/api/v1/admin${path}`, body);

beforeAll(async () => {
  const { natsUrl, databaseUrl } = await testServices();
  const namespace = testNamespace('miner flow');
  const config = loadConfig({
    NATS_URL: natsUrl,
    DATABASE_URL: databaseUrl,
    KINITRO_NAMESPACE: namespace,
    DATABASE_SCHEMA: namespace,
    API_PORT: '0',
    LOG_LEVEL: 'error',
  });
  platform = await startPlatform(config, { netuid: 23, schedulerTickMs: 200 });
  bob = platform.hotkeys.bob;
  live = await LiveClient.connect(`${platform.baseUrl.replace('http', 'ws')}/ws`);
  agentDir = await mkdtemp(join(tmpdir(), 'kinitro-agent-'));
  await writeFile(join(agentDir, 'kinitro.json'), JSON.stringify(manifest));
  await writeFile(join(agentDir, 'serve.py'), 'print("serving")\n');
});

afterAll(async () => {
  await live?.close();
  await platform?.stop({ dropState: true });
  await rm(agentDir, { recursive: true, force: true });
});

describe('miner upload → commit → chain monitor → scheduler → jobs over REST and WS', () => {
  it('turns an uploaded and committed agent into one job per benchmark, shown by REST, WS and miner status', async () => {
    const benchmark = (name: string) => ({ name, provider: 'control', tasks: ['reach'], episodesPerTask: 2, maxSteps: 50, timeoutSeconds: 600 });
    const competition = {
      id: 'e2e',
      name: 'E2E',
      benchmarks: [benchmark('reach'), benchmark('balance')],
      weightShare: 1,
      maxRepoBytes: 1_000_000,
      submissionRateLimit: { count: 5, perSeconds: 3600 },
    };
    expect((await admin('/competitions', competition)).status).toBe(202);
    expect((await admin('/competitions/e2e/activate')).status).toBe(202);
    await live.subscribe({ types: ['JobCreated'], filters: { hotkey: bob }, fromSequence: 1 });

    const upload = await cli('miner', 'upload', '--dir', agentDir, '--repo', 'bob/agent');
    expect(upload).toMatchObject({ code: 0 });
    const sha = /bob\/agent@([0-9a-f]{40})/.exec(upload.out)![1]!;
    expect(upload.out).toContain(`kinitro miner commit --competition <id> --repo bob/agent --revision ${sha}`);

    // The CLI checks the competition through the API before committing: wait until the projector shows it active.
    await eventually('the competition active over REST', async () => (await getOne('/api/v1/competitions/e2e')).active === true, 30_000);
    const commit = await cli('miner', 'commit', '--competition', 'e2e', '--repo', 'bob/agent', '--revision', sha.slice(0, 10), '--hotkey-uri', '//Bob');
    expect(commit.code).toBe(0);
    expect(commit.out).toContain(`bob/agent@${sha.slice(0, 10)} is commit ${sha}`);
    platform.node.produceBlocks(3);

    const jobs = await eventually(
      'two jobs over REST',
      async () => {
        const page = await get(`/api/v1/jobs?miner=${bob}`);
        return page.total === 2 ? page.items : undefined;
      },
      30_000,
    );
    expect(jobs.map((j) => j.benchmarkName).sort()).toEqual(['balance', 'reach']);
    expect(jobs[0]).toMatchObject({ competitionId: 'e2e', repo: 'bob/agent', revision: sha, rerunOf: null, cancelled: false });
    const [submission] = (await get(`/api/v1/submissions?miner=${bob}`)).items;
    expect(submission).toMatchObject({ status: 'accepted', revision: sha, competitionId: 'e2e', repoBytes: expect.any(Number) });

    const pushed = [await live.next(10_000), await live.next(10_000)];
    expect(pushed.map((m) => m.event.data.jobId).sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(pushed.every((m) => m.op === 'event' && m.event.type === 'JobCreated')).toBe(true);

    const status = await cli('miner', 'status', '--hotkey', bob);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`${submission!.id}  block`);
    expect(status.out).toContain(`e2e bob/agent@${sha.slice(0, 12)}  accepted, evaluation queued`);
    expect(status.out.match(/^ {2}job (reach|balance) /gm)).toHaveLength(2);
    expect(status.out).toContain('no validator has claimed it yet');
  });

  it('shows a rejected commitment with its reason in miner status', async () => {
    const refused = await cli('miner', 'commit', '--competition', 'e2e', '--repo', 'bob/agent', '--revision', '0000000', '--hotkey-uri', '//Bob');
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining('revision 0000000 is not a commit of bob/agent') });
    // --force commits it anyway, and the platform rejects it.
    const commit = await cli('miner', 'commit', '--competition', 'e2e', '--repo', 'bob/agent', '--revision', '0000000', '--hotkey-uri', '//Bob', '--force');
    expect(commit.code).toBe(0);
    platform.node.produceBlocks(3);
    await eventually('the rejection over REST', async () => (await get(`/api/v1/submissions?miner=${bob}&status=rejected`)).total === 1, 30_000);
    const status = await cli('miner', 'status', '--hotkey', bob, '--json');
    const shown = JSON.parse(status.out) as { total: number; submissions: { status: string; rejectionReason: string | null; jobs: unknown[] }[] };
    expect(shown.total).toBe(2);
    expect(shown.submissions.map((s) => [s.status, s.rejectionReason, s.jobs.length])).toEqual([
      ['rejected', 'revision_not_found', 0],
      ['accepted', null, 2],
    ]);
  });

  it('reruns a benchmark and cancels the rerun through the admin API, the scheduler doing both', async () => {
    const [submission] = (await get(`/api/v1/submissions?miner=${bob}&status=accepted`)).items;
    const [original] = (await get(`/api/v1/jobs?submission=${submission!.id}`)).items.filter((j) => j.benchmarkName === 'reach');
    const rerun = await admin(`/submissions/${submission!.id}/rerun`, { benchmarks: ['reach'], reason: 'flaky' });
    expect(rerun.status).toBe(202);
    const created = await eventually(
      'the rerun job over REST',
      async () => (await get(`/api/v1/jobs?submission=${submission!.id}`)).items.find((j) => j.rerunOf === original!.id),
      30_000,
    );
    expect(created).toMatchObject({ benchmarkName: 'reach', revision: original!.revision, cancelled: false });
    expect(created.benchmark.seeds).not.toEqual(original!.benchmark.seeds);

    expect((await admin(`/jobs/${created.id}/cancel`, { reason: 'not needed' })).status).toBe(202);
    const cancelled = await eventually(
      'the cancellation over REST',
      async () => {
        const job = await getOne(`/api/v1/jobs/${created.id}`);
        return job.cancelled ? job : undefined;
      },
      30_000,
    );
    expect(cancelled).toMatchObject({ cancelReason: 'not needed' });
    expect((await getOne(`/api/v1/submissions/${submission!.id}`)).evaluation).toMatchObject({ jobs: 3, reruns: 1, cancelledJobs: 1 });
  });
});
