import { isValidatorSignedType, verifyEnvelopeSignature, type EventData, type EventEnvelope } from '#contracts';
import { slotOf } from '../validator/plan.js';

type FrozenBenchmark = EventData<'JobCreated'>['benchmark'];

/**
 * What the judge needs to know of the log up to (not including) the event it judges. Scoring answers from its
 * fold, the projector from its rows; both fold the same events, so they judge alike.
 */
export interface JudgeView {
  /** The frozen benchmark of the job, undefined when no JobCreated of it was folded. */
  benchmark(jobId: string): Pick<FrozenBenchmark, 'tasks' | 'episodesPerTask' | 'seeds'> | undefined;
  /** Whether the latest MetagraphSynced folded (of the subnet the view watches) gives `validator` a validator permit. */
  hasPermit(validator: string): boolean;
  /** Whether an EvaluationClaimed of this evaluation, for this job, by this validator, was folded (and accepted). */
  claimed(evaluationId: string, jobId: string, validator: string): boolean;
}

export const REJECTION_REASONS = [
  'unsigned',
  'bad_signature',
  'signer_not_validator',
  'no_permit',
  'unknown_job',
  'not_claimed',
  'episode_not_planned',
  'episode_count_mismatch',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  /** One line naming the event's facts that gave the reason. */
  detail: string;
}

/** `reason: detail`, as the projector records it in rejected_events and scoring says why it did not count a result. */
export const describeRejection = (r: Rejection): string => `${r.reason}: ${r.detail}`;

/** The job's plan in episodes: one per seed, task-major (what the validator plans on claiming). */
export const plannedEpisodesOf = (b: Pick<FrozenBenchmark, 'tasks' | 'episodesPerTask' | 'seeds'>): number =>
  Math.min(b.seeds.length, b.tasks.length * b.episodesPerTask);

interface ValidatorFacts {
  validator: string;
  jobId?: string;
  evaluationId?: string;
}

const reject = (reason: RejectionReason, detail: string): Rejection => ({ reason, detail });

/** The authenticity of a validator-side event: signed, by a good signature, by the validator it names, which holds a permit. */
const judgeAuthorship = (event: EventEnvelope, validator: string, view: JudgeView): Rejection | undefined => {
  const verdict = verifyEnvelopeSignature(event);
  if (verdict === 'unsigned') return reject('unsigned', `${event.type} ${event.eventId} of validator ${validator} carries no signature`);
  if (event.signature!.signer !== validator) {
    return reject('signer_not_validator', `${event.type} ${event.eventId} names validator ${validator} but is signed by ${event.signature!.signer}`);
  }
  if (verdict === 'invalid') return reject('bad_signature', `${event.type} ${event.eventId}: the signature is not ${validator}'s over this event`);
  if (!view.hasPermit(validator))
    return reject('no_permit', `${validator} holds no validator permit in the latest metagraph folded before ${event.type} ${event.eventId}`);
  return undefined;
};

/** Whether the results agree with the job's frozen plan and the validator's own claim. */
const judgeConsistency = (event: EventEnvelope, facts: Required<ValidatorFacts>, view: JudgeView): Rejection | undefined => {
  const { validator, jobId, evaluationId } = facts;
  const benchmark = view.benchmark(jobId);
  if (!benchmark)
    return reject('unknown_job', `${event.type} ${event.eventId} of validator ${validator} is for job ${jobId}, which no JobCreated before it created`);
  if (event.type === 'EvaluationClaimed') return undefined;
  if (!view.claimed(evaluationId, jobId, validator)) {
    return reject('not_claimed', `${event.type} ${event.eventId}: evaluation ${evaluationId} of job ${jobId} was never claimed by ${validator}`);
  }
  if (event.type === 'EvaluationCompleted') {
    const planned = plannedEpisodesOf(benchmark);
    if (event.data.episodes !== planned) {
      return reject('episode_count_mismatch', `EvaluationCompleted ${event.eventId} reports ${event.data.episodes} episodes; job ${jobId} plans ${planned}`);
    }
  }
  if (event.type === 'EpisodeStarted' || event.type === 'EpisodeRecorded' || event.type === 'EpisodeFailed') {
    const { task, episodeIndex, seed } = event.data;
    const slot = slotOf(benchmark, task, episodeIndex);
    if (slot === undefined || slot >= plannedEpisodesOf(benchmark) || benchmark.seeds[slot] !== seed) {
      return reject(
        'episode_not_planned',
        `${event.type} ${event.eventId}: (task ${task}, episode ${episodeIndex}, seed ${seed}) is not in job ${jobId}'s plan`,
      );
    }
  }
  return undefined;
};

/**
 * Judges a validator-side event (aggregates evaluation, episode, weights) against the log before it: undefined when
 * it counts, else why not. Every other event is not the judge's concern (undefined). Pure, total and deterministic:
 * the projector and scoring call it on every event before folding it, so a rejected result counts nowhere, and a
 * replay decides the same.
 */
export const judgeEvent = (event: EventEnvelope, view: JudgeView): Rejection | undefined => {
  if (!isValidatorSignedType(event.type)) return undefined;
  const facts = event.data as ValidatorFacts;
  const authorship = judgeAuthorship(event, facts.validator, view);
  if (authorship || facts.jobId === undefined || facts.evaluationId === undefined) return authorship;
  return judgeConsistency(event, facts as Required<ValidatorFacts>, view);
};
