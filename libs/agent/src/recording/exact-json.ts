/**
 * JSON that keeps every float64 exactly: a finite number is written as JavaScript's shortest round-tripping
 * form (what JSON.stringify writes), -0 as `-0` (JSON.stringify would write `0`; JSON.parse reads `-0` back as
 * -0), and NaN, Infinity and -Infinity, which JSON has no number for, as the strings "NaN", "Infinity" and
 * "-Infinity" (JSON.stringify would write null). Typed arrays are written as arrays. Otherwise as JSON.stringify.
 */
export const exactJson = (value: unknown): string => {
  if (typeof value === 'number') return numberJson(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return `[${Array.from(value as ArrayLike<unknown>, (item) => (item === undefined ? 'null' : exactJson(item))).join(',')}]`;
  }
  const fields: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && typeof item !== 'function') fields.push(`${JSON.stringify(key)}:${exactJson(item)}`);
  }
  return `{${fields.join(',')}}`;
};

export const NON_FINITE_NAMES = ['NaN', 'Infinity', '-Infinity'] as const;

const numberJson = (n: number): string => {
  if (Object.is(n, -0)) return '-0';
  return Number.isFinite(n) ? String(n) : `"${String(n)}"`;
};
