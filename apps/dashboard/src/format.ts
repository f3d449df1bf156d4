export const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** An SS58 address or UUID shortened for a table cell; the full value goes in the title attribute. */
export const short = (id: string | null | undefined, keep = 8): string => (!id ? '—' : id.length <= keep + 2 ? id : `${id.slice(0, keep)}…`);

export const ageText = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;

export const dateText = (iso: string | null | undefined): string => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) : '—');

export const num = (value: number | null | undefined, digits = 3): string =>
  value === null || value === undefined || Number.isNaN(value) ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
