import { createHash } from 'node:crypto';
import {
  deriveId,
  isValidatorSigned,
  newEvent,
  schemaVersionOf,
  type AggregateType,
  type EventEnvelope,
  type NewEvent,
  type RecordedEvent,
  signingBytes,
  validatePayload,
} from '#contracts';
import { u8aToHex } from '@polkadot/util';
import { testKeyFor, testSigner } from '#testing';

/** Events for one aggregate, appended together. */
export interface AppendUnit {
  aggregate: AggregateType;
  aggregateId: string;
  events: NewEvent[];
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const digest = (seed: string) => createHash('sha256').update(seed).digest();

/** A syntactically valid SS58 address, stable for a seed. */
export const hotkeyFor = (seed: string): string =>
  '5' +
  [...digest(`hk:${seed}`), ...digest(`hk2:${seed}`)]
    .slice(0, 47)
    .map((b) => BASE58[b % 58])
    .join('');
/** A validator's hotkey: a real sr25519 key (validator-side events are signed by it), stable for a seed. */
export const validatorFor = (seed: string): string => testKeyFor(`validator:${seed}`).address;
export const shaFor = (seed: string): string => digest(`sha:${seed}`).toString('hex');
const revisionFor = (seed: string): string => shaFor(seed).slice(0, 40);

export const benchmark = (name: string) => ({
  name,
  provider: 'control' as const,
  tasks: ['reach', 'push'],
  episodesPerTask: 2,
  maxSteps: 200,
  timeoutSeconds: 600,
  camera: { names: ['front'], width: 64, height: 64, everyNSteps: 50 },
});

export const competitionCreated = (competitionId: string, description = 'Reach and push with a robot arm.'): AppendUnit => ({
  aggregate: 'competition',
  aggregateId: competitionId,
  events: [
    newEvent('CompetitionCreated', {
      competitionId,
      name: `Competition ${competitionId}`,
      description,
      benchmarks: [benchmark('control-basic'), benchmark('control-hard')],
      weightShare: 0.5,
      maxRepoBytes: 5_000_000_000,
      submissionRateLimit: { count: 1, perSeconds: 86_400 },
      createdBy: 'admin',
    }),
    newEvent('CompetitionActivated', { competitionId, activatedBy: 'admin' }),
  ],
});

export const competitionDeactivated = (competitionId: string): AppendUnit => ({
  aggregate: 'competition',
  aggregateId: competitionId,
  events: [newEvent('CompetitionDeactivated', { competitionId, deactivatedBy: 'admin' })],
});

export const submissionAccepted = (competitionId: string, seed: string, block: number) => {
  const submissionId = deriveId('submission', seed);
  const hotkey = hotkeyFor(`miner:${seed}`);
  const origin = { submissionId, hotkey, block, commitmentEventId: deriveId('commitment', seed) };
  const repo = `miner-${seed}/agent`;
  const unit: AppendUnit = {
    aggregate: 'submission',
    aggregateId: submissionId,
    events: [
      newEvent('SubmissionReceived', { ...origin, competitionId, repo, revision: revisionFor(seed).slice(0, 12) }),
      newEvent('SubmissionAccepted', { ...origin, competitionId, repo, revision: revisionFor(seed), repoBytes: 1_234_567 }),
    ],
  };
  return { unit, submissionId, hotkey, repo, revision: revisionFor(seed) };
};

export const submissionRejected = (seed: string, block: number): AppendUnit => {
  const submissionId = deriveId('submission', seed);
  return {
    aggregate: 'submission',
    aggregateId: submissionId,
    events: [
      newEvent('SubmissionRejected', {
        submissionId,
        hotkey: hotkeyFor(`miner:${seed}`),
        block,
        commitmentEventId: deriveId('commitment', seed),
        competitionId: null,
        reason: 'malformed_commitment',
        detail: 'expected competition:repo:revision',
      }),
    ],
  };
};

export const jobCreated = (
  sub: { submissionId: string; hotkey: string; repo: string; revision: string },
  competitionId: string,
  benchmarkName: string,
): { unit: AppendUnit; jobId: string } => {
  const jobId = deriveId('job', sub.submissionId, benchmarkName);
  return {
    jobId,
    unit: {
      aggregate: 'job',
      aggregateId: jobId,
      events: [
        newEvent('JobCreated', {
          jobId,
          submissionId: sub.submissionId,
          competitionId,
          hotkey: sub.hotkey,
          repo: sub.repo,
          revision: sub.revision,
          benchmark: { ...benchmark(benchmarkName), seeds: [11, 12, 13, 14] },
          deadline: '2026-12-01T00:00:00.000Z',
          rerunOf: null,
        }),
      ],
    },
  };
};

/** Episodes a job of the scenario plans (2 tasks × 2 episodes): a completed evaluation reports exactly these. */
export const PLANNED_EPISODES = 4;

/**
 * One validator's evaluation of a job, with its episodes (each started, then recorded); `outcome` picks how it ends:
 * completed; failed by one more episode that crashes the agent; or still running one more episode.
 */
export const evaluation = (
  jobId: string,
  validator: string,
  outcome: 'completed' | 'failed' | 'running',
  episodes = outcome === 'completed' ? PLANNED_EPISODES : 2,
): AppendUnit[] => {
  const evaluationId = deriveId('evaluation', jobId, validator);
  const ref = { evaluationId, jobId, validator };
  const lifecycle: NewEvent[] = [
    newEvent('EvaluationClaimed', { ...ref, plannedEpisodes: PLANNED_EPISODES }),
    newEvent('EvaluationStarted', { ...ref, evaluator: 'evaluator-1' }),
  ];
  // Slot i of the job's plan (tasks reach, push × 2 episodes, seeds 11–14, task-major): what the judge checks.
  const episodeOf = (i: number) => ({
    episodeId: deriveId('episode', evaluationId, String(i)),
    ...ref,
    task: i < 2 ? 'reach' : 'push',
    episodeIndex: i % 2,
    seed: 11 + i,
  });
  const started = (i: number) => newEvent('EpisodeStarted', { ...episodeOf(i), evaluator: 'evaluator-1', attempt: 1 });
  const episodeUnits: AppendUnit[] = Array.from({ length: episodes }, (_, i) => {
    const { episodeId } = episodeOf(i);
    return {
      aggregate: 'episode',
      aggregateId: episodeId,
      events: [
        started(i),
        newEvent('EpisodeRecorded', {
          ...episodeOf(i),
          steps: 200,
          totalReward: 10.5 + i,
          success: i % 2 === 0,
          terminated: i % 2 === 0,
          truncated: i % 2 === 1,
          durationMs: 1500,
          trajectoryKey: `trajectories/${episodeId}.npz`,
          frames: [
            { camera: 'front', key: `frames/${episodeId}/front.png`, steps: [0, 50, 100], contentType: 'image/png', bytes: 2048, sha256: shaFor(episodeId) },
          ],
          sampledSteps: [0, 50, 100].map((step) => ({ step, reward: step / 100, success: step === 100, action: [0.1, -0.2, 0.3, 0] })),
        }),
      ],
    };
  });
  const last = episodeOf(episodes);
  if (outcome === 'failed') {
    const crash = { verdict: 'CRASH' as const, fault: 'miner' as const, stderrTail: 'Traceback (most recent call last):\nRuntimeError' };
    episodeUnits.push({
      aggregate: 'episode',
      aggregateId: last.episodeId,
      events: [
        started(episodes),
        newEvent('EpisodeFailed', { ...last, evaluator: 'evaluator-1', attempt: 1, reason: 'the agent exited with code 1', ...crash }),
      ],
    });
  }
  if (outcome === 'running') episodeUnits.push({ aggregate: 'episode', aggregateId: last.episodeId, events: [started(episodes)] });
  const ending: NewEvent[] =
    outcome === 'completed'
      ? [
          newEvent('EvaluationCompleted', {
            ...ref,
            episodes,
            successRate: 0.5,
            meanReward: 11,
            successInterval: { low: 0.1, high: 0.9 },
            tasks: [{ task: 'reach', episodes: 1, successRate: 1, meanReward: 10.5 }],
          }),
        ]
      : outcome === 'failed'
        ? [
            newEvent('EvaluationFailed', {
              ...ref,
              reason: 'agent_crashed',
              fault: 'miner',
              detail: 'exit code 1',
              verdict: 'CRASH',
              episodeId: last.episodeId,
            }),
          ]
        : [];
  const [claimed, ...rest] = [...lifecycle, ...ending];
  // The claim first, then the episodes, then the end: the order the validator and evaluators write them in.
  return [
    { aggregate: 'evaluation', aggregateId: evaluationId, events: [claimed!, rest[0]!] },
    ...episodeUnits,
    ...(rest.length > 1 ? [{ aggregate: 'evaluation' as const, aggregateId: evaluationId, events: rest.slice(1) }] : []),
  ];
};

export const metagraphSynced = (netuid: number, block: number, hotkeys: string[]): AppendUnit => ({
  aggregate: 'metagraph',
  aggregateId: String(netuid),
  events: [
    newEvent('MetagraphSynced', {
      netuid,
      block,
      blockHash: `0x${shaFor(`block:${block}`)}`,
      neurons: hotkeys.map((hotkey, uid) => ({
        uid,
        hotkey,
        coldkey: hotkeyFor(`cold:${hotkey}`),
        stake: `${uid + 1}000000000000000000000`,
        validatorPermit: uid < 2,
        active: true,
      })),
    }),
  ],
});

export const commitmentObserved = (netuid: number, hotkey: string, block: number, text: string): AppendUnit => ({
  aggregate: 'commitment',
  aggregateId: `${netuid}:${hotkey}`,
  events: [
    newEvent('CommitmentObserved', {
      netuid,
      hotkey,
      uid: 3,
      block,
      blockHash: `0x${shaFor(`block:${block}`)}`,
      raw: `0x${Buffer.from(text, 'utf8').toString('hex')}`,
    }),
  ],
});

export const weights = (netuid: number, validator: string, upToSequence: number, block: number): AppendUnit => ({
  aggregate: 'weights',
  aggregateId: `${netuid}:${validator}`,
  events: [
    newEvent('ScoresComputed', {
      netuid,
      validator,
      upToSequence,
      scores: [{ uid: 3, hotkey: hotkeyFor('miner:a'), competitionId: 'reach-v1', score: 0.8 }],
      weights: [{ uid: 3, weight: 1 }],
    }),
    newEvent('WeightsSet', { netuid, validator, upToSequence, block, extrinsicHash: `0x${shaFor(`x:${block}`)}`, uids: [3], weights: [65535] }),
  ],
});

export const apiKeyLifecycle = (seed: string, revoke: boolean): AppendUnit => {
  const keyId = deriveId('api-key', seed);
  return {
    aggregate: 'api-key',
    aggregateId: keyId,
    events: [
      newEvent('ApiKeyIssued', { keyId, name: `key ${seed}`, sha256: shaFor(`key:${seed}`), role: 'admin', issuedBy: 'admin' }),
      ...(revoke ? [newEvent('ApiKeyRevoked', { keyId, revokedBy: 'admin' })] : []),
    ],
  };
};

/**
 * A realistic slice of the platform's life: a competition, accepted and rejected submissions, jobs evaluated by
 * three validators (completed, failed, one cancelled mid-run, one timed out), a metagraph, weights and API keys.
 */
export const platformScenario = (seed = 'a'): AppendUnit[] => {
  const competitionId = `reach-${seed}`;
  const validators = [validatorFor(`v1:${seed}`), validatorFor(`v2:${seed}`), validatorFor(`v3:${seed}`)];
  const units: AppendUnit[] = [competitionCreated(competitionId), metagraphSynced(7, 100, [...validators, hotkeyFor(`miner:${seed}1`)])];
  for (const [i, name] of ['1', '2'].entries()) {
    const sub = submissionAccepted(competitionId, `${seed}${name}`, 101 + i);
    units.push(sub.unit);
    const jobs = ['control-basic', 'control-hard'].map((b) => jobCreated(sub, competitionId, b));
    units.push(...jobs.map((j) => j.unit));
    units.push(...evaluation(jobs[0]!.jobId, validators[0]!, 'completed'), ...evaluation(jobs[0]!.jobId, validators[1]!, 'failed'));
    units.push(...evaluation(jobs[1]!.jobId, validators[0]!, 'running', 1));
    units.push({
      aggregate: 'job',
      aggregateId: jobs[1]!.jobId,
      events: [newEvent('JobCancelled', { jobId: jobs[1]!.jobId, reason: 'operator request', requestedBy: 'admin' })],
    });
    units.push({
      aggregate: 'job',
      aggregateId: jobs[0]!.jobId,
      events: [newEvent('JobTimedOut', { jobId: jobs[0]!.jobId, validator: validators[2]!, deadline: '2026-12-01T00:00:00.000Z' })],
    });
  }
  units.push(commitmentObserved(7, hotkeyFor(`miner:${seed}1`), 99, `k1:${competitionId}:miner/agent@${shaFor(seed).slice(0, 40)}`));
  units.push(commitmentObserved(7, hotkeyFor(`miner:${seed}2`), 99, 'hello, chain'));
  units.push(submissionRejected(`${seed}bad`, 104));
  units.push(metagraphSynced(7, 200, validators.slice(0, 2)));
  units.push(weights(7, validators[0]!, 40, 201), apiKeyLifecycle(`${seed}1`, true), apiKeyLifecycle(`${seed}2`, false));
  units.push({
    aggregate: 'competition',
    aggregateId: competitionId,
    events: [newEvent('CompetitionUpdated', { competitionId, changes: { name: 'Reach v2' }, updatedBy: 'admin' })],
  });
  return units;
};

/** A validator-side envelope signed by its validator's test key, as the store would sign it; others as they are. */
const signedByTestKey = (envelope: EventEnvelope): EventEnvelope => {
  if (!isValidatorSigned(envelope.aggregate)) return envelope;
  const validator = (envelope.data as { validator: string }).validator;
  const value = testSigner.sign(validator, signingBytes(envelope));
  return value ? { ...envelope, signature: { signer: validator, value: u8aToHex(value) } } : envelope;
};

/**
 * The units as the stream would record them (validator-side events signed by their test key), for pure tests: envelopes with consecutive sequences and
 * timestamps one second apart.
 */
export const recordUnits = (units: AppendUnit[], firstSequence = 1, start = Date.parse('2026-11-01T00:00:00Z')): RecordedEvent[] => {
  const versions = new Map<string, number>();
  let sequence = firstSequence;
  return units.flatMap((unit) =>
    unit.events.map((event) => {
      const key = `${unit.aggregate}/${unit.aggregateId}`;
      const version = (versions.get(key) ?? 0) + 1;
      versions.set(key, version);
      const at = new Date(start + (sequence - firstSequence) * 1000).toISOString();
      const unsigned = {
        eventId: deriveId('event', String(sequence)),
        type: event.type,
        schemaVersion: schemaVersionOf(event.type),
        aggregate: unit.aggregate,
        aggregateId: unit.aggregateId,
        aggregateVersion: version,
        occurredAt: at,
        correlationId: deriveId('correlation', key),
        causationId: null,
        producer: { app: 'test', version: '0' },
        data: validatePayload(event.type, event.data),
      } as EventEnvelope;
      const envelope = signedByTestKey(unsigned);
      return { ...envelope, streamSequence: sequence++, recordedAt: at };
    }),
  );
};
