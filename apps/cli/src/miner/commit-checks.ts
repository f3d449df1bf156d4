import type { HubPort } from '#storage';
import { ApiError, getJson } from '../api-client.js';
import { Failure, type CliIo } from '../command.js';

/** The fields of GET /api/v1/competitions/:id (CompetitionDto in apps/api) the check reads. */
interface Competition {
  id: string;
  active: boolean;
  startsAt: string | null;
  endsAt: string | null;
}

const SKIP = 'pass --force to commit without checking';

/**
 * That the platform would take a commitment to `id` now: the competition exists, is active and open (the
 * scheduler's own rules, libs/domain/src/scheduler/submissions.ts). Without an API URL nothing is checked
 * and the user is told so, since a miner need not run or know a Kinitro API.
 */
export const checkCompetition = async (api: string | undefined, id: string, io: CliIo, now = new Date()): Promise<void> => {
  if (!api) {
    io.err(`kinitro miner commit: not checking competition "${id}": KINITRO_API_URL is not set (set it or pass --api to check)`);
    return;
  }
  let competition: Competition;
  try {
    competition = await getJson<Competition>(api, `/api/v1/competitions/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw new Failure(`competition "${id}" does not exist on the platform at ${api}`);
    throw new Failure(`cannot check competition "${id}": ${(error as Error).message}; ${SKIP}`, { cause: error });
  }
  if (!competition.active) throw new Failure(`competition "${id}" is not active: the platform would reject the commitment`);
  if (competition.startsAt && now < new Date(competition.startsAt)) throw new Failure(`competition "${id}" opens at ${competition.startsAt}`);
  if (competition.endsAt && now >= new Date(competition.endsAt)) throw new Failure(`competition "${id}" closed at ${competition.endsAt}`);
  io.out(`competition ${id} is active`);
};

/** The full sha of `revision` in `repo` on the Hub, or a Failure saying what is missing. */
export const checkRevision = async (hub: HubPort, hubUrl: string, repo: string, revision: string, io: CliIo): Promise<string> => {
  const { HubAuthError, HubNotFoundError } = await import('#storage');
  try {
    const sha = await hub.resolveRevision(repo, revision);
    io.out(`${repo}@${revision} is commit ${sha} on ${hubUrl}`);
    return sha;
  } catch (error) {
    if (error instanceof HubNotFoundError && error.what === 'repo') {
      throw new Failure(`repo ${repo} does not exist on ${hubUrl} (or is private and HF_TOKEN cannot read it)`);
    }
    if (error instanceof HubNotFoundError) throw new Failure(`revision ${revision} is not a commit of ${repo} on ${hubUrl}: ${error.message}`);
    if (error instanceof HubAuthError) throw new Failure(`${hubUrl} refused to show ${repo}: ${error.message}`);
    throw new Failure(`cannot check ${repo}@${revision} on ${hubUrl}: ${(error as Error).message}; ${SKIP}`, { cause: error });
  }
};
