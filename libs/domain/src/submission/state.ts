import type { SubmissionRejectionReason } from '#contracts';
import type { SubmissionOrigin } from './commands.js';

interface Received {
  origin: SubmissionOrigin;
  competitionId: string;
  repo: string;
  revision: string;
}

export type SubmissionState =
  | { status: 'absent' }
  | ({ status: 'pending' } & Received)
  | ({ status: 'accepted'; repoBytes: number } & Received)
  | { status: 'rejected'; origin: SubmissionOrigin; competitionId: string | null; reason: SubmissionRejectionReason };
