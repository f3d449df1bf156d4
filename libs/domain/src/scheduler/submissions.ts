import type { CompetitionSettings, NewEvent, RecordedEventOf, SubmissionRejectionReason } from '#contracts';
import { decodeCommitmentHex } from '../commitment/codec.js';
import type { SubmissionOrigin } from '../submission/commands.js';
import { submissionDecider } from '../submission/decider.js';
import type { SubmissionState } from '../submission/state.js';
import { causedBy, decision, type Decision } from './decision.js';
import { submissionIdFor } from './ids.js';
import { minerKey, type SchedulerState } from './state.js';

type Pending = Extract<SubmissionState, { status: 'pending' }>;

/** What the Hub must be asked about a received submission. */
export interface HubInspection {
  submissionId: string;
  repo: string;
  /** As committed: a full sha or a prefix to resolve. */
  revision: string;
}

/** What the Hub answered, as final facts. "The Hub is down" is not a finding: the app retries instead. */
export type HubFindings =
  | { kind: 'missing'; what: 'repo' | 'revision'; detail: string }
  | { kind: 'found'; revision: string; repoBytes: number; manifest: { ok: true } | { ok: false; detail: string } };

export type CommitmentPlan =
  /** Nothing to do: another subnet's commitment, or a submission already decided. */
  | { kind: 'ignore'; reason: string }
  /** Knowledge the scheduler needs is not in the log yet (no metagraph of the subnet): try again later. */
  | { kind: 'wait'; reason: string; decisions: Decision[] }
  /** Rejected without asking the Hub. */
  | { kind: 'decided'; decisions: Decision[] }
  /** Append `decisions` (the submission is then visibly pending), ask the Hub, then `judgeSubmission`. */
  | { kind: 'inspect'; decisions: Decision[]; inspection: HubInspection };

/** The settings of a competition the scheduler knows (callers checked it exists). */
export const settingsOf = (state: SchedulerState, competitionId: string): CompetitionSettings => {
  const competition = state.competitions.get(competitionId)?.state;
  if (!competition || competition.status === 'absent') throw new Error(`competition ${competitionId} is not known`);
  return competition.settings;
};

type Rejection = { reason: SubmissionRejectionReason; detail: string };
type Precheck = Rejection | { wait: string } | undefined;

/** The checks that need no Hub: the competition exists, is active and open at `at`, and the hotkey is registered. */
const precheck = (state: SchedulerState, submission: Pending, at: string): Precheck => {
  const competition = state.competitions.get(submission.competitionId)?.state;
  if (!competition || competition.status === 'absent') {
    return { reason: 'unknown_competition', detail: `there is no competition "${submission.competitionId}"` };
  }
  if (competition.status !== 'active') return { reason: 'inactive_competition', detail: `competition "${submission.competitionId}" is not active` };
  const { startsAt, endsAt } = competition.settings;
  if (startsAt && Date.parse(at) < Date.parse(startsAt)) {
    return { reason: 'inactive_competition', detail: `competition "${submission.competitionId}" opens at ${startsAt}` };
  }
  if (endsAt && Date.parse(at) >= Date.parse(endsAt)) {
    return { reason: 'inactive_competition', detail: `competition "${submission.competitionId}" closed at ${endsAt}` };
  }
  if (!state.metagraph) return { wait: `no metagraph of subnet ${state.netuid} has been recorded yet` };
  if (!state.metagraph.neurons.has(submission.origin.hotkey)) {
    return {
      reason: 'unregistered_hotkey',
      detail: `hotkey ${submission.origin.hotkey} is not registered on subnet ${state.netuid} (metagraph at block ${state.metagraph.block})`,
    };
  }
  return undefined;
};

const reject = (submission: Pending, { reason, detail }: Rejection) => submissionDecider.decide({ type: 'RejectSubmission', reason, detail }, submission);

/**
 * A CommitmentObserved of the subnet becomes a submission: malformed bytes are rejected at once; otherwise the
 * submission is received (pending, visible) and either rejected by the checks that need no Hub or handed to the
 * Hub inspection. Redelivered after a decision, it does nothing; redelivered while pending, it resumes.
 */
export const onCommitment = (state: SchedulerState, event: RecordedEventOf<'CommitmentObserved'>): CommitmentPlan => {
  const { netuid, hotkey, block, raw } = event.data;
  if (netuid !== state.netuid) return { kind: 'ignore', reason: `commitment on subnet ${netuid}, not ${state.netuid}` };
  const submissionId = submissionIdFor(netuid, hotkey, block, raw);
  const cause = causedBy(event);
  const tracked = state.submissions.get(submissionId)?.state;
  if (tracked && tracked.status !== 'pending') return { kind: 'ignore', reason: `submission ${submissionId} is already ${tracked.status}` };

  const origin: SubmissionOrigin = { submissionId, hotkey, block, commitmentEventId: event.eventId };
  let submission: Pending;
  const received: NewEvent[] = [];
  if (tracked) {
    submission = tracked;
  } else {
    const decoded = decodeCommitmentHex(raw);
    if (!decoded.ok) {
      const { reason, detail } = decoded.rejection;
      const rejected = submissionDecider.decide(
        { type: 'RejectSubmission', reason: 'malformed_commitment', detail: `${reason}: ${detail}`, origin },
        { status: 'absent' },
      );
      return { kind: 'decided', decisions: [decision('submission', submissionId, rejected, cause)] };
    }
    received.push(...submissionDecider.decide({ type: 'ReceiveSubmission', ...origin, ...decoded.value }, { status: 'absent' }));
    submission = { status: 'pending', origin, ...decoded.value };
  }

  const checked = precheck(state, submission, state.submissions.get(submissionId)?.committedAt ?? event.recordedAt);
  const receiving = received.length > 0 ? [decision('submission', submissionId, received, cause)] : [];
  if (checked && 'wait' in checked) return { kind: 'wait', reason: checked.wait, decisions: receiving };
  if (checked) return { kind: 'decided', decisions: [decision('submission', submissionId, [...received, ...reject(submission, checked)], cause)] };
  return { kind: 'inspect', decisions: receiving, inspection: { submissionId, repo: submission.repo, revision: submission.revision } };
};

/** Accepted submissions of the same miner in the same competition, other than `submissionId`. */
const acceptedSiblings = (state: SchedulerState, submission: Pending) =>
  [...(state.submissionsByMiner.get(minerKey(submission.origin.hotkey, submission.competitionId)) ?? [])]
    .filter((id) => id !== submission.origin.submissionId)
    .map((id) => state.submissions.get(id)!)
    .flatMap((s) => (s.state.status === 'accepted' ? [{ ...s.state, committedAt: s.committedAt }] : []));

type Verdict = { reject: Rejection } | { accept: { revision: string; repoBytes: number } };

/** The checks that need the Hub's answers, in the order a miner fixes things: exists, new, in rate, size, manifest. */
const judge = (state: SchedulerState, submission: Pending, committedAt: string, findings: HubFindings): Verdict => {
  if (findings.kind === 'missing') {
    return { reject: { reason: findings.what === 'repo' ? 'repo_not_found' : 'revision_not_found', detail: findings.detail } };
  }
  const { revision, repoBytes } = findings;
  const siblings = acceptedSiblings(state, submission);
  const same = siblings.find((s) => s.revision === revision);
  if (same) {
    return { reject: { reason: 'duplicate', detail: `${submission.repo}@${revision} was already accepted as submission ${same.origin.submissionId}` } };
  }
  const { submissionRateLimit, maxRepoBytes } = settingsOf(state, submission.competitionId);
  const { count, perSeconds } = submissionRateLimit;
  const until = Date.parse(committedAt);
  const recent = siblings.filter((s) => Date.parse(s.committedAt) <= until && Date.parse(s.committedAt) > until - perSeconds * 1000).length;
  if (recent >= count) {
    return {
      reject: {
        reason: 'rate_limited',
        detail: `${recent} submissions accepted in the ${perSeconds} s before this one; the limit is ${count} per ${perSeconds} s`,
      },
    };
  }
  if (repoBytes > maxRepoBytes) {
    return { reject: { reason: 'too_large', detail: `the repo holds ${repoBytes} bytes at ${revision}; the limit is ${maxRepoBytes}` } };
  }
  if (!findings.manifest.ok) return { reject: { reason: 'no_manifest', detail: findings.manifest.detail } };
  return { accept: { revision, repoBytes } };
};

/**
 * Decides a pending submission from the Hub's findings: accepted (with the full revision and size) or rejected
 * with the reason. The checks without the Hub run again first: the competition may have closed meanwhile.
 * Time is the commitment's recordedAt, never a clock.
 */
export const judgeSubmission = (state: SchedulerState, event: RecordedEventOf<'CommitmentObserved'>, findings: HubFindings): Decision[] => {
  const submissionId = submissionIdFor(event.data.netuid, event.data.hotkey, event.data.block, event.data.raw);
  const tracked = state.submissions.get(submissionId);
  if (!tracked || tracked.state.status !== 'pending') return [];
  const submission = tracked.state;
  const checked = precheck(state, submission, tracked.committedAt);
  if (checked && 'wait' in checked) return [];
  const verdict = checked ? { reject: checked } : judge(state, submission, tracked.committedAt, findings);
  const events =
    'reject' in verdict ? reject(submission, verdict.reject) : submissionDecider.decide({ type: 'AcceptSubmission', ...verdict.accept }, submission);
  return [decision('submission', submissionId, events, causedBy(event))];
};
