import { newEvent, REJECTION_DETAIL_MAX_CHARS, revisionSchema, sanitizeText, type NewEvent } from '#contracts';
import { keepingState, unapplied, type Decider, type Explaining, type RecordedOneOf, type Unapplied } from '../decider.js';
import { DomainError } from '../errors.js';
import { parseOrInvalid } from '../validation.js';
import type { SubmissionCommand, SubmissionOrigin } from './commands.js';
import type { SubmissionState } from './state.js';

type SubmissionEventType = 'SubmissionReceived' | 'SubmissionAccepted' | 'SubmissionRejected';

const originOf = (data: SubmissionOrigin): SubmissionOrigin => ({
  submissionId: data.submissionId,
  hotkey: data.hotkey,
  block: data.block,
  commitmentEventId: data.commitmentEventId,
});

const pending = (state: SubmissionState, command: string): Extract<SubmissionState, { status: 'pending' }> => {
  if (state.status === 'absent') throw new DomainError('not_found', 'submission not found');
  if (state.status !== 'pending') {
    throw new DomainError('conflict', `cannot ${command} a submission that is already ${state.status}`, { status: state.status });
  }
  return state;
};

/** What each event may follow: the statuses its command may leave (a rejection may also be the first event). */
const appliesTo: Record<SubmissionEventType, readonly SubmissionState['status'][]> = {
  SubmissionReceived: ['absent'],
  SubmissionAccepted: ['pending'],
  SubmissionRejected: ['absent', 'pending'],
};

function apply(state: SubmissionState, event: RecordedOneOf<SubmissionEventType>): SubmissionState | Unapplied {
  if (!appliesTo[event.type]?.includes(state.status)) return unapplied(`${event.type} for a submission that is ${state.status}`);
  switch (event.type) {
    case 'SubmissionReceived': {
      const { competitionId, repo, revision } = event.data;
      return { status: 'pending', origin: originOf(event.data), competitionId, repo, revision };
    }
    case 'SubmissionAccepted': {
      const { competitionId, repo, revision, repoBytes } = event.data;
      return { status: 'accepted', origin: originOf(event.data), competitionId, repo, revision, repoBytes };
    }
    case 'SubmissionRejected':
      return { status: 'rejected', origin: originOf(event.data), competitionId: event.data.competitionId, reason: event.data.reason };
  }
}

/** pending → accepted | rejected; both are terminal. */
export const submissionDecider: Decider<SubmissionCommand, SubmissionState, SubmissionEventType> & Explaining<SubmissionState, SubmissionEventType> = {
  aggregate: 'submission',
  initialState: () => ({ status: 'absent' }),

  decide(command, state): NewEvent[] {
    switch (command.type) {
      case 'ReceiveSubmission': {
        if (state.status !== 'absent') throw new DomainError('conflict', 'submission already received', { status: state.status });
        const { type: _type, ...data } = command;
        return [newEvent('SubmissionReceived', data)];
      }
      case 'AcceptSubmission': {
        const current = pending(state, 'accept');
        const revision = parseOrInvalid(revisionSchema, command.revision, 'revision', 'revision');
        if (!revision.startsWith(current.revision)) {
          throw new DomainError('invalid', `revision ${revision} does not match the committed ${current.revision}`, { field: 'revision' });
        }
        return [
          newEvent('SubmissionAccepted', {
            ...current.origin,
            competitionId: current.competitionId,
            repo: current.repo,
            revision,
            repoBytes: command.repoBytes,
          }),
        ];
      }
      case 'RejectSubmission': {
        // The detail quotes what the miner, the Hub or the chain said: made storable and bounded here, where it
        // enters the event, whichever check wrote it.
        const detail = sanitizeText(command.detail, REJECTION_DETAIL_MAX_CHARS);
        if (state.status === 'absent' && command.origin) {
          return [newEvent('SubmissionRejected', { ...command.origin, competitionId: null, reason: command.reason, detail })];
        }
        const current = pending(state, 'reject');
        return [
          newEvent('SubmissionRejected', {
            ...current.origin,
            competitionId: current.competitionId,
            reason: command.reason,
            detail,
          }),
        ];
      }
    }
  },

  apply,
  evolve: keepingState(apply),
};
