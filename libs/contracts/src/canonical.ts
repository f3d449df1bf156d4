import { createHash } from 'node:crypto';
/** JSON with object keys sorted, so two values that differ only in key order compare equal. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

/** Lowercase hex sha256 of a string's UTF-8 bytes: what audit hash chains link (beside the canonical JSON they hash). */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
