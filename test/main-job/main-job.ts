import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { type EventReader } from '#eventing';
import { EVENT_READER } from '#eventing/nest';
import { PACKAGE_ROOT, type Config } from '#platform';
import { ReplayService, tableHashes, type TableHashes } from '#read-models';
import { eventually } from '#testing';
import { LiveClient } from '../../apps/api/src/testing/ws-client.js';
import { ProjectorModule, READ_MODELS } from '../../apps/projector/src/projector.module.js';
import { probeAgentHost, type AgentHost } from '../support/agent-host.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { watchEvaluations, type EvaluationsReport } from './evaluations.js';
import { watchWeights, type WeightsReport } from './weights.js';

/**
 * The platform's main job against the configured NATS and Postgres, with the in-repo test chain and Hub standing
 * in for Bittensor and Hugging Face: an operator defines a competition, two miners upload agents and commit them
 * on chain, the platform turns each into a submission and one evaluation job per benchmark; the validator //Alice
 * claims the jobs and two evaluator processes run the agents in the sandbox, episodes, trajectories and frames
 * land in the object store, results and failures appear over REST and the WebSocket, the validator scores the log
 * and sets weights on the test chain (read back from it); then an auditor replays the whole log.
 */
export interface MainJobReport {
  competitionId: string;
  competition: Record<string, any>;
  submission: Record<string, any>;
  jobs: Record<string, any>[];
  pushedJobIds: string[];
  minerStatus: string;
  /** `kinitro miner status` of the miner whose agent crashes. */
  crashingMinerStatus: string;
  host: AgentHost;
  evaluations: EvaluationsReport;
  /** Scores and weights the validator //Alice computed from the log and set on the test chain, read back from it. */
  weights: WeightsReport;
  /** `kinitro audit weights` as of the block of that WeightsSet: exit code and what it printed. */
  audit: { code: number; out: string };
  submissionEvents: { type: string; streamSequence: number; aggregateVersion: number }[];
  liveHashes: TableHashes;
  replays: TableHashes[];
}

type Say = (line: string) => void;

/** Small on purpose: the whole main job stays around a minute on 2 cores. */
const competitionRequest = (id: string) => ({
  id,
  name: `Demo competition ${id}`,
  description: 'A control task that needs no assets, and MetaWorld tasks with a camera.',
  benchmarks: [
    { name: 'control', provider: 'control', tasks: ['CartPole-v1'], episodesPerTask: 2, maxSteps: 500, timeoutSeconds: 600 },
    {
      name: 'metaworld',
      provider: 'metaworld',
      tasks: ['reach-v3', 'push-v3'],
      episodesPerTask: 2,
      maxSteps: 150,
      timeoutSeconds: 600,
      camera: { names: ['corner'], width: 96, height: 96, everyNSteps: 25 },
    },
  ],
  weightShare: 1,
  maxRepoBytes: 50_000_000,
  submissionRateLimit: { count: 3, perSeconds: 86_400 },
});

const AGENT_DIRS = {
  python3: join(PACKAGE_ROOT, 'test/main-job/demo-agent'),
  node: join(PACKAGE_ROOT, 'test/main-job/demo-agent-ts'),
};
/** Charlie's agent raises on its second step: the evaluation fails, the miner's fault, with the traceback. */
const CRASHING_AGENT_DIR = join(PACKAGE_ROOT, 'test/main-job/crashing-agent');

const hashTable = (live: TableHashes, replays: TableHashes[]): string[] =>
  Object.keys(live).map((table) => {
    const same = replays.every((r) => r[table] === live[table]);
    return `  ${table.padEnd(20)} ${live[table]}  ${replays.map((r) => r[table]).join('  ')}  ${same ? 'identical' : 'DIFFERENT'}`;
  });

const expectOk = <T extends { status: number; body: any }>(what: string, response: T): T => {
  if (response.status >= 300) throw new Error(`${what} → ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
};

const replayAll = async (platform: Platform, say: Say): Promise<{ liveHashes: TableHashes; replays: TableHashes[] }> => {
  const { config } = platform;
  const auditor = await NestFactory.createApplicationContext(ProjectorModule.register(config), { logger: ['error', 'warn'] });
  try {
    const reader = platform.api.get<EventReader>(EVENT_READER);
    const readModels = auditor.get<DataSource>(READ_MODELS);
    const last = await reader.lastSequence();
    await eventually(
      'the live projector to reach the end of the stream',
      async () => {
        const rows: { last_sequence: string }[] = await readModels.query(`SELECT last_sequence FROM "${config.DATABASE_SCHEMA}".projector_checkpoint`);
        return Number(rows[0]?.last_sequence ?? 0) >= last;
      },
      30_000,
    );
    const liveHashes = await tableHashes(readModels, config.DATABASE_SCHEMA);
    const replays: TableHashes[] = [];
    for (const n of [1, 2]) {
      const report = await auditor.get(ReplayService).replay();
      replays.push(report.hashes);
      say(
        `replay ${n}: rebuilt every table from sequence 1 to ${report.lastSequence} (${report.events} events) in ${report.seconds.toFixed(2)} s and swapped it in`,
      );
    }
    say(`\ntable hashes (live, replay 1, replay 2):\n${hashTable(liveHashes, replays).join('\n')}`);
    return { liveHashes, replays };
  } finally {
    await auditor.close();
  }
};

/** Uploads an agent directory as a miner and commits its revision on chain; returns the full revision. */
const publishAgent = async (platform: Platform, say: Say, competitionId: string, dir: string, repo: string, hotkeyUri: string): Promise<string> => {
  const upload = await platform.cli('miner', 'upload', '--dir', dir, '--repo', repo);
  if (upload.code !== 0) throw new Error(`miner upload failed: ${upload.err}`);
  say(`\n$ kinitro miner upload --dir ${dir} --repo ${repo}\n${upload.out}`);
  const sha = new RegExp(`${repo}@([0-9a-f]{40})`).exec(upload.out)![1]!;
  const commit = await platform.cli(
    'miner',
    'commit',
    '--competition',
    competitionId,
    '--repo',
    repo,
    '--revision',
    sha.slice(0, 12),
    '--hotkey-uri',
    hotkeyUri,
  );
  if (commit.code !== 0) throw new Error(`miner commit failed: ${commit.err}`);
  say(`\n$ kinitro miner commit --competition ${competitionId} --repo ${repo} --revision ${sha.slice(0, 12)} --hotkey-uri ${hotkeyUri}\n${commit.out}`);
  return sha;
};

const jobsOf = (platform: Platform, miner: string, competitionId: string) =>
  eventually(
    `the scheduler to create the jobs of ${miner}`,
    async () => {
      const { body } = await platform.request('GET', `/api/v1/jobs?miner=${miner}&competition=${competitionId}`);
      return body.total === 2 ? (body.items as Record<string, any>[]) : undefined;
    },
    60_000,
  );

export const runMainJob = async (config: Config, say: Say = console.log, options: { keepState?: boolean } = {}): Promise<MainJobReport> => {
  // The narration below is the output: the apps' own logs only at warn and above.
  const quiet: Config = { ...config, LOG_LEVEL: config.LOG_LEVEL === 'log' ? 'warn' : config.LOG_LEVEL };
  say(`NATS ${config.NATS_URL} (namespace ${config.KINITRO_NAMESPACE}), Postgres schema ${config.DATABASE_SCHEMA}`);
  const host = await probeAgentHost();
  for (const line of host.fallbacks) say(`FALLBACK ${line}`);
  const platform = await startPlatform(quiet, { blockTimeMs: 500, evaluate: { evaluators: 2, host } });
  const live = await LiveClient.connect(`${platform.baseUrl.replace('http', 'ws')}/ws`);
  try {
    const { alice, bob, charlie } = platform.hotkeys;
    const evaluators = platform.evaluation!.evaluators.map((e) => e.id).join(' and ');
    say(
      `apps running: api ${platform.baseUrl} (OpenAPI ${platform.baseUrl}/api/docs), projector, chain-monitor, scheduler, validator //Alice, evaluator processes ${evaluators}`,
    );
    say(
      `agents run in the ${host.sandbox} sandbox${host.sandbox === 'bwrap' ? ' (no network, read-only agent, unprivileged uid)' : ' (NOT isolated)'}, the miner's agent on the ${host.runtime} runtime`,
    );
    say(`test chain ${platform.node.url} (subnet ${platform.netuid}; //Alice validator, //Bob and //Charlie miners), local Hub ${platform.hub.url}`);

    const competitionId = `demo-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
    for (const e of [
      ...expectOk('create competition', await platform.request('POST', '/api/v1/admin/competitions', competitionRequest(competitionId))).body.events,
      ...expectOk('activate competition', await platform.request('POST', `/api/v1/admin/competitions/${competitionId}/activate`)).body.events,
    ]) {
      say(`operator: appended ${e.type} (competition ${e.aggregateId} v${e.aggregateVersion}, stream sequence ${e.streamSequence})`);
    }
    const competition = await eventually(
      'the projector to show the competition active',
      async () => {
        const { status, body } = await platform.request('GET', `/api/v1/competitions/${competitionId}`);
        return status === 200 && body.active ? body : undefined;
      },
      30_000,
    );
    say(`GET /api/v1/competitions/${competitionId} → active, ${competition.benchmarks.length} benchmarks`);

    await live.subscribe({ types: ['JobCreated'], filters: { hotkey: bob } });
    say(`websocket: subscribed to JobCreated for miner ${bob}`);
    const sha = await publishAgent(platform, say, competitionId, AGENT_DIRS[host.runtime], 'bob/demo-agent', '//Bob');
    const jobs = await jobsOf(platform, bob, competitionId);
    const submission = (await platform.request('GET', `/api/v1/submissions/${jobs[0]!.submissionId}`)).body;
    say(
      `\nGET /api/v1/submissions/${submission.id} → ${submission.status}, revision ${submission.revision} (committed as ${sha.slice(0, 12)}), ${submission.repoBytes} bytes`,
    );
    for (const job of jobs)
      say(`GET /api/v1/jobs → job ${job.id} benchmark ${job.benchmarkName}, ${job.benchmark.seeds.length} seeded episodes, deadline ${job.deadline}`);
    const pushed = [await live.next(10_000), await live.next(10_000)];
    for (const message of pushed) say(`websocket ← ${message.event.type} job ${message.event.data.jobId} at stream sequence ${message.streamSequence}`);

    await publishAgent(platform, say, competitionId, CRASHING_AGENT_DIR, 'charlie/crashing-agent', '//Charlie');
    const crashingJobs = await jobsOf(platform, charlie, competitionId);

    const evaluations = await watchEvaluations(platform, live, say, { validator: alice, jobs, crashingJobs }).catch((error: unknown) => {
      // What the evaluators said is where a stuck evaluation explains itself.
      for (const e of platform.evaluation!.evaluators) say(`\n--- ${e.id} output (tail) ---\n${e.output().slice(-4000)}`);
      throw error;
    });

    const status = await platform.cli('miner', 'status', '--hotkey', bob);
    say(`\n$ kinitro miner status --hotkey ${bob}\n${status.out}${status.code === 0 ? '' : `\n(exit ${status.code}) ${status.err}`}`);
    const crashingStatus = await platform.cli('miner', 'status', '--hotkey', charlie);
    say(`\n$ kinitro miner status --hotkey ${charlie}\n${crashingStatus.out}`);

    const history = (await platform.request('GET', `/api/v1/events/submission/${submission.id}`)).body;
    say(`\nGET /api/v1/events/submission/${submission.id} (the facts behind it):`);
    for (const e of history.items) say(`  #${e.streamSequence} ${e.type} v${e.aggregateVersion} by ${e.producer.app}, caused by ${e.causationId}`);
    say('');

    const weights = await watchWeights(platform, say);
    // Anyone can check that vector from raw evidence: the log (over NATS) and the chain.
    const auditArgs = ['audit', 'weights', '--as-of', `block:${weights.set.block}`, '--netuid', String(platform.netuid), '--validator', platform.hotkeys.alice];
    const audit = await platform.cli(
      ...auditArgs,
      '--nats',
      platform.config.NATS_URL,
      '--namespace',
      platform.config.KINITRO_NAMESPACE,
      '--ws',
      platform.node.url,
      '--owner-share',
      '0',
      '--burn-uid',
      '0',
    );
    say(`\n$ kinitro ${auditArgs.join(' ')} --nats … --ws …\n${audit.out}${audit.code === 0 ? '' : `\n(exit ${audit.code}) ${audit.err}`}`);

    // The audit compares tables at one point of the log: the apps that append on their own stop first.
    await platform.quiesce();
    const { liveHashes, replays } = await replayAll(platform, say);
    return {
      competitionId,
      competition,
      submission,
      jobs,
      pushedJobIds: pushed.map((m) => m.event.data.jobId),
      minerStatus: status.out,
      crashingMinerStatus: crashingStatus.out,
      host,
      evaluations,
      weights,
      audit: { code: audit.code, out: audit.out },
      submissionEvents: history.items.map(({ type, streamSequence, aggregateVersion }: MainJobReport['submissionEvents'][number]) => ({
        type,
        streamSequence,
        aggregateVersion,
      })),
      liveHashes,
      replays,
    };
  } finally {
    await live.close();
    await platform.stop({ dropState: !options.keepState });
  }
};
