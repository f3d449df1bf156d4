import { competitionIdSchema, repoIdSchema } from '#contracts';

/**
 * What a miner commits on chain: which competition, which Hub repo, and which revision of it.
 *
 * Wire format (UTF-8 text, so block explorers show it as is):
 *
 *     k1:<competition>:<owner>/<name>@<revision>
 *
 * `k1` is the format version; a later incompatible format takes a new tag and the parser keeps
 * reading the old one. The revision is lowercase hex, the full 40-hex commit sha or a unique prefix
 * of at least 7 characters that the scheduler resolves against the Hub. The whole value must fit
 * the Commitments pallet's largest raw field (`Raw128`).
 */
export interface Commitment {
  competitionId: string;
  repo: string;
  revision: string;
}

export const COMMITMENT_FORMAT_VERSION = 'k1';
/** `pallet_commitments::Data::Raw128`: the largest raw field the pallet stores. */
export const MAX_COMMITMENT_BYTES = 128;

export const commitmentRejectionReasons = [
  'empty',
  'too_long',
  'non_utf8',
  'unknown_format',
  'bad_competition_id',
  'bad_repo_id',
  'missing_revision',
  'bad_revision',
] as const;
export type CommitmentRejectionReason = (typeof commitmentRejectionReasons)[number];

/** Why a commitment cannot be used: a stable reason for machines and a detail for the miner. */
export interface CommitmentRejection {
  reason: CommitmentRejectionReason;
  detail: string;
}

export type CommitmentResult<T> = { ok: true; value: T } | { ok: false; rejection: CommitmentRejection };

const REVISION = /^[0-9a-f]{7,40}$/;
const VERSION_TAG = /^[a-z][a-z0-9]{0,7}$/;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const reject = (reason: CommitmentRejectionReason, detail: string): { ok: false; rejection: CommitmentRejection } => ({
  ok: false,
  rejection: { reason, detail },
});

const shown = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** Checks the three parts; the first problem found wins so the miner fixes one thing at a time. */
const validate = (c: Commitment): CommitmentRejection | undefined => {
  if (!competitionIdSchema.safeParse(c.competitionId).success) {
    return { reason: 'bad_competition_id', detail: `competition id ${shown(c.competitionId)} must be a lowercase slug of 2-63 characters` };
  }
  if (!repoIdSchema.safeParse(c.repo).success) {
    return { reason: 'bad_repo_id', detail: `repo ${shown(c.repo)} must be a Hub repo id "owner/name"` };
  }
  if (c.revision === '') return { reason: 'missing_revision', detail: 'a revision (commit sha or unique prefix of 7+ hex) is required' };
  if (!REVISION.test(c.revision)) {
    return { reason: 'bad_revision', detail: `revision ${shown(c.revision)} must be 7-40 lowercase hex characters` };
  }
  return undefined;
};

const checkSize = (bytes: Uint8Array): CommitmentRejection | undefined =>
  bytes.length > MAX_COMMITMENT_BYTES
    ? { reason: 'too_long', detail: `commitment is ${bytes.length} bytes; the chain stores at most ${MAX_COMMITMENT_BYTES}` }
    : undefined;

export const encodeCommitment = (commitment: Commitment): CommitmentResult<Uint8Array> => {
  const invalid = validate(commitment);
  if (invalid) return { ok: false, rejection: invalid };
  const bytes = utf8.encode(`${COMMITMENT_FORMAT_VERSION}:${commitment.competitionId}:${commitment.repo}@${commitment.revision}`);
  const oversize = checkSize(bytes);
  return oversize ? { ok: false, rejection: oversize } : { ok: true, value: bytes };
};

/** Parses exactly what `encodeCommitment` writes; anything else is a typed rejection, never an exception. */
export const decodeCommitment = (bytes: Uint8Array): CommitmentResult<Commitment> => {
  if (bytes.length === 0) return reject('empty', 'the commitment is empty');
  const oversize = checkSize(bytes);
  if (oversize) return { ok: false, rejection: oversize };
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return reject('non_utf8', 'the commitment is not valid UTF-8 text');
  }
  const firstColon = text.indexOf(':');
  const tag = firstColon < 0 ? text : text.slice(0, firstColon);
  if (tag !== COMMITMENT_FORMAT_VERSION) {
    const what = VERSION_TAG.test(tag) ? `format ${shown(tag)} is not known` : 'it does not start with a format tag';
    return reject('unknown_format', `${what}; expected "${COMMITMENT_FORMAT_VERSION}:<competition>:<owner>/<name>@<revision>"`);
  }
  const body = text.slice(firstColon + 1);
  const secondColon = body.indexOf(':');
  if (secondColon < 0) return reject('bad_repo_id', 'no ":" separates the competition id from the repo');
  const competitionId = body.slice(0, secondColon);
  const rest = body.slice(secondColon + 1);
  const at = rest.lastIndexOf('@');
  const commitment = at < 0 ? { competitionId, repo: rest, revision: '' } : { competitionId, repo: rest.slice(0, at), revision: rest.slice(at + 1) };
  const invalid = validate(commitment);
  return invalid ? { ok: false, rejection: invalid } : { ok: true, value: commitment };
};

/** The same as `decodeCommitment` for the 0x-hex form events carry (`CommitmentObserved.raw`). */
export const decodeCommitmentHex = (hex: string): CommitmentResult<Commitment> => {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) return reject('unknown_format', 'the raw value is not 0x-prefixed hex');
  const bytes = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return decodeCommitment(bytes);
};
