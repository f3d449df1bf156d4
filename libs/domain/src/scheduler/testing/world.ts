import { newEvent, type BenchmarkSpec, type EventDataInput, type NewEvent, type RecordedEventOf } from '#contracts';
import { evaluationIdFor } from '../../evaluation/ids.js';
import { encodeCommitment, type Commitment } from '../../commitment/codec.js';
import { SchedulerLog } from './scheduler-log.js';

export const NETUID = 7;
export const MINER = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
export const OTHER_MINER = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
export const VALIDATOR_A = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
export const VALIDATOR_B = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
export const VALIDATOR_C = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
export const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

export const benchmarkSpec = (name: string, overrides: Partial<BenchmarkSpec> = {}): BenchmarkSpec => ({
  name,
  provider: 'control',
  tasks: ['reach', 'push'],
  episodesPerTask: 2,
  maxSteps: 100,
  timeoutSeconds: 600,
  camera: { names: ['front'], width: 64, height: 64, everyNSteps: 10 },
  ...overrides,
});

export const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`;

export const rawCommitment = (commitment: Partial<Commitment> = {}): string => {
  const encoded = encodeCommitment({ competitionId: 'mt10', repo: 'miner/agent', revision: SHA.slice(0, 8), ...commitment });
  if (!encoded.ok) throw new Error(encoded.rejection.detail);
  return hex(encoded.value);
};

type Settings = Omit<EventDataInput<'CompetitionCreated'>, 'competitionId' | 'createdBy'>;

/** A log with helpers that append the facts other apps would: competitions, metagraphs, commitments, evaluations. */
export class SchedulerWorld extends SchedulerLog {
  private block = 100;

  constructor() {
    super(NETUID);
  }

  competition(competitionId = 'mt10', settings: Partial<Settings> = {}, active = true): this {
    this.record(
      'competition',
      competitionId,
      newEvent('CompetitionCreated', {
        competitionId,
        createdBy: 'op',
        name: competitionId,
        benchmarks: [benchmarkSpec('reach'), benchmarkSpec('push', { timeoutSeconds: 1200 })],
        weightShare: 1,
        maxRepoBytes: 1_000_000,
        submissionRateLimit: { count: 2, perSeconds: 3600 },
        ...settings,
      }),
    );
    if (active) this.record('competition', competitionId, newEvent('CompetitionActivated', { competitionId, activatedBy: 'op' }));
    return this;
  }

  metagraph(
    neurons: { hotkey: string; validatorPermit?: boolean }[] = [
      { hotkey: MINER },
      { hotkey: VALIDATOR_A, validatorPermit: true },
      { hotkey: VALIDATOR_B, validatorPermit: true },
    ],
    netuid = NETUID,
  ): this {
    this.record(
      'metagraph',
      String(netuid),
      newEvent('MetagraphSynced', {
        netuid,
        block: this.block,
        blockHash: `0x${'11'.repeat(32)}`,
        neurons: neurons.map((n, uid) => ({
          uid,
          hotkey: n.hotkey,
          coldkey: n.hotkey,
          stake: '1000',
          validatorPermit: n.validatorPermit ?? false,
          active: true,
        })),
      }),
    );
    return this;
  }

  commit(raw = rawCommitment(), hotkey = MINER, netuid = NETUID): RecordedEventOf<'CommitmentObserved'> {
    this.block += 1;
    return this.record(
      'commitment',
      `${netuid}:${hotkey}`,
      newEvent('CommitmentObserved', { netuid, hotkey, uid: 0, block: this.block, blockHash: `0x${this.block.toString(16).padStart(64, '0')}`, raw }),
    );
  }

  evaluation(type: 'EvaluationClaimed' | 'EvaluationStarted' | 'EvaluationCompleted' | 'EvaluationFailed', jobId: string, validator: string): void {
    const evaluationId = evaluationIdFor(jobId, validator);
    const ref = { evaluationId, jobId, validator };
    const data =
      type === 'EvaluationStarted'
        ? { ...ref, evaluator: 'e1' }
        : type === 'EvaluationCompleted'
          ? { ...ref, episodes: 4, successRate: 0.5, meanReward: 1, tasks: [] }
          : type === 'EvaluationFailed'
            ? { ...ref, reason: 'crash', fault: 'miner' as const, detail: '' }
            : ref;
    this.record('evaluation', evaluationId, newEvent(type, data as never) as NewEvent);
  }
}
