import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { encodeEnvelope, newEventId, signEnvelope, topology, type EventEnvelope } from '#contracts';
import { evaluationIdFor } from '#domain';
import { loadConfig, PACKAGE_ROOT } from '#platform';
import { devKey, eventually, testNamespace, testServices } from '#testing';
import { probeAgentHost } from '../support/agent-host.js';
import { startPlatform, type Platform } from '../support/platform.js';

/**
 * The forgery of issue 12: anyone who can publish to NATS appends an EvaluationCompleted under a validator's name.
 * The real platform (chain monitor, scheduler, validator //Alice with one evaluator process, projector, API) runs a
 * miner's agent to a real result; then a raw NATS client, past every app, publishes (a) an unsigned completion under
 * //Alice's name, (b) one signed by the miner's own hotkey naming the miner as validator (it holds no permit), (c) one
 * signed by //Alice's key but with one episode where the job plans three. The leaderboard and the results over REST
 * do not move; /events/rejected names each reason.
 */
const EPISODES = 3;
const competition = (id: string) => ({
  id,
  name: `Forgery ${id}`,
  description: 'One control benchmark, three episodes.',
  benchmarks: [{ name: 'control', provider: 'control', tasks: ['CartPole-v1'], episodesPerTask: EPISODES, maxSteps: 200, timeoutSeconds: 600 }],
  weightShare: 1,
  maxRepoBytes: 50_000_000,
  submissionRateLimit: { count: 3, perSeconds: 86_400 },
});

let platform: Platform;
const competitionId = `forgery-${Date.now()}`;

beforeAll(async () => {
  const { natsUrl, databaseUrl } = await testServices();
  const namespace = testNamespace('forged results');
  const config = loadConfig({
    NATS_URL: natsUrl,
    DATABASE_URL: databaseUrl,
    KINITRO_NAMESPACE: namespace,
    DATABASE_SCHEMA: namespace,
    API_PORT: '0',
    LOG_LEVEL: 'warn',
  });
  const host = await probeAgentHost();
  platform = await startPlatform(config, { blockTimeMs: 500, evaluate: { evaluators: 1, host } });
}, 120_000);

afterAll(async () => {
  await platform?.stop({ dropState: true });
}, 60_000);

const ok = async (method: string, path: string, body?: unknown) => {
  const response = await platform.request(method, path, body);
  if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
};

const completion = (validator: string, evaluationId: string, jobId: string, episodes: number): EventEnvelope => ({
  eventId: newEventId(),
  type: 'EvaluationCompleted',
  schemaVersion: 1,
  aggregate: 'evaluation',
  aggregateId: evaluationId,
  aggregateVersion: 50,
  occurredAt: new Date().toISOString(),
  correlationId: newEventId(),
  causationId: null,
  producer: { app: 'validator', version: '0.1.0' },
  data: {
    evaluationId,
    jobId,
    validator,
    episodes,
    successRate: 1,
    meanReward: 500,
    tasks: [{ task: 'CartPole-v1', episodes, successRate: 1, meanReward: 500 }],
  },
});

describe('forged validator results', () => {
  it('move neither the leaderboard nor the results, and each is rejected with its reason', async () => {
    const { alice, bob } = platform.hotkeys;
    await ok('POST', '/api/v1/admin/competitions', competition(competitionId));
    await ok('POST', `/api/v1/admin/competitions/${competitionId}/activate`);
    const dir = join(PACKAGE_ROOT, `test/main-job/${(await probeAgentHost()).runtime === 'python3' ? 'demo-agent' : 'demo-agent-ts'}`);
    const upload = await platform.cli('miner', 'upload', '--dir', dir, '--repo', 'bob/forgery-agent');
    expect(upload.code).toBe(0);
    const sha = /bob\/forgery-agent@([0-9a-f]{40})/.exec(upload.out)![1]!;
    expect(
      (await platform.cli('miner', 'commit', '--competition', competitionId, '--repo', 'bob/forgery-agent', '--revision', sha, '--hotkey-uri', '//Bob')).code,
    ).toBe(0);

    // A real result: //Alice's evaluators run the three episodes.
    const [result] = await eventually(
      'Alice’s result to be projected',
      async () => {
        const body = await ok('GET', `/api/v1/results?competition=${competitionId}`);
        return body.total === 1 ? body.items : undefined;
      },
      240_000,
    );
    expect(result).toMatchObject({ validator: alice, hotkey: bob, episodes: EPISODES });
    const leaderboard = await eventually(
      'the leaderboard to rank the miner',
      async () => {
        const body = await ok('GET', `/api/v1/competitions/${competitionId}/leaderboard`);
        return body.items?.length === 1 ? body : undefined;
      },
      30_000,
    );
    const results = await ok('GET', `/api/v1/results?competition=${competitionId}`);
    const rejectedBefore = (await ok('GET', '/api/v1/events/rejected?limit=200')).total as number;

    // Past every app: a raw client on the events stream.
    const nc = await connect({ servers: platform.config.NATS_URL, name: 'mallory' });
    const js = jetstream(nc);
    const t = topology(platform.config.KINITRO_NAMESPACE);
    const publish = async (e: EventEnvelope) => (await js.publish(t.eventSubject(e.aggregate, e.aggregateId), encodeEnvelope(e))).seq;
    const jobId = result.jobId as string;
    const seqs = {
      unsigned: await publish(completion(alice, result.evaluationId, jobId, EPISODES)),
      noPermit: await publish(signEnvelope(completion(bob, evaluationIdFor(jobId, bob), jobId, EPISODES), devKey('//Bob'))),
      short: await publish(signEnvelope(completion(alice, result.evaluationId, jobId, 1), devKey('//Alice'))),
    };
    await nc.close();

    const rejected = await eventually(
      'the projector to reject the three forgeries',
      async () => {
        const body = await ok('GET', '/api/v1/events/rejected?limit=200');
        return body.total >= rejectedBefore + 3 ? (body.items as { streamSequence: number; type: string; reason: string }[]) : undefined;
      },
      60_000,
    );
    const reasonAt = (seq: number) => rejected.find((r) => r.streamSequence === seq)?.reason.split(':')[0];
    expect({ unsigned: reasonAt(seqs.unsigned), noPermit: reasonAt(seqs.noPermit), short: reasonAt(seqs.short) }).toEqual({
      unsigned: 'unsigned',
      noPermit: 'no_permit',
      short: 'episode_count_mismatch',
    });
    expect((await ok('GET', `/api/v1/events/${seqs.short}`)).rejected).toMatchObject({
      reason: expect.stringMatching(/^episode_count_mismatch: .*reports 1 episodes; job .* plans 3$/),
    });

    expect(await ok('GET', `/api/v1/results?competition=${competitionId}`)).toEqual(results);
    expect(await ok('GET', `/api/v1/competitions/${competitionId}/leaderboard`)).toEqual(leaderboard);
    const status = await ok('GET', `/api/v1/jobs/${jobId}/status`);
    expect(status.items.map((s: { validator: string }) => s.validator)).toEqual([alice]);
  }, 360_000);
});
