import { z } from 'zod';

/**
 * ES2024 methods every Node this project supports has (our `lib` setting is ES2023). Native, and some twenty times
 * faster than a `u`-flag regex on the read path, where every string of every event is checked.
 */
interface WellFormedness {
  isWellFormed(): boolean;
  toWellFormed(): string;
}
const wellFormed = (value: string): WellFormedness => value as unknown as WellFormedness;

/**
 * What Postgres text can hold: no U+0000, and no UTF-16 surrogate that is not half of a pair (a lone one is not a
 * Unicode scalar value, so it has no UTF-8 form). "Well-formed" is exactly the second condition.
 */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && wellFormed(value).isWellFormed();

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
  const clean = wellFormed(value).toWellFormed().replaceAll('\u0000', '\uFFFD');
  if (clean.length <= maxChars) return clean;
  let end = maxChars - TRUNCATION_MARKER.length;
  // After cleaning every surrogate is half of a pair: a high one just before the cut would lose its partner.
  if (end > 0 && isHighSurrogate(clean.charCodeAt(end - 1))) end--;
  return clean.slice(0, end) + TRUNCATION_MARKER;
};
