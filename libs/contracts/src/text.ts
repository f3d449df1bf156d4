import { z } from 'zod';

/**
 * What Postgres text cannot hold: U+0000, and UTF-16 surrogates that are not half of a pair (they are not Unicode
 * scalar values, so they have no UTF-8 form). With the `u` flag a valid pair is one code point and matches neither.
 */
const UNSTORABLE = /[\u0000\p{Cs}]/u;
const UNSTORABLE_ALL = /[\u0000\p{Cs}]/gu;

export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

/**
 * The one string schema of the event contracts: every string an event carries is stored in Postgres by the
 * projector, and a string it refuses would stall the projection on an event the stream can never delete.
 * Bounds and patterns chain on as on `z.string()`: `text().min(1).max(200)`.
 */
export const text = () => z.string().refine(isStorableText, 'must not contain U+0000 or a lone UTF-16 surrogate');

/** Ends a string `sanitizeText` shortened. */
export const TRUNCATION_MARKER = '…';

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Foreign text (a miner's file, a Hub or chain answer, a process's output) made fit for an event: U+0000 and lone
 * surrogates become U+FFFD, and text longer than `maxChars` UTF-16 units (what zod's `.max` counts) is cut on a
 * code-point boundary and ends with TRUNCATION_MARKER, so the result always passes `text().max(maxChars)`.
 */
export const sanitizeText = (value: string, maxChars: number): string => {
  if (maxChars < TRUNCATION_MARKER.length) throw new RangeError(`maxChars must be at least ${TRUNCATION_MARKER.length}`);
  const clean = value.replace(UNSTORABLE_ALL, '\uFFFD');
  if (clean.length <= maxChars) return clean;
  let end = maxChars - TRUNCATION_MARKER.length;
  // After cleaning every surrogate is half of a pair: a high one just before the cut would lose its partner.
  if (end > 0 && isHighSurrogate(clean.charCodeAt(end - 1))) end--;
  return clean.slice(0, end) + TRUNCATION_MARKER;
};
