import type { RecordedEvent } from '#contracts';
import { rowKey, type LoadedRows } from '../projection/fold.js';
import type { VersionedTable } from '../projection/rows.js';

/** What the log and the tables say about the time after an event the projector skipped. */
export interface AfterTheEvent {
  /** Rows the event's fold reads or writes, as they are now. */
  loaded: LoadedRows;
  /** Events after it recorded in rejected_events. */
  laterRejected: number;
  /** The last stream sequence on the event's subject (its aggregate). */
  lastOnSubject: number;
}

/**
 * Why folding `event` now, after the checkpoint passed it, might not leave the tables a clean replay would leave, or
 * undefined when it cannot differ. A replay folds it before everything after it; folded late, it is exact only if
 * nothing after it depended on it: no row it reads or writes was changed since (the fold guards rows by sequence,
 * so the late event would be dropped or fold over a later state), no later event of its aggregate exists (one may
 * have found its row missing), and no later event was rejected (maybe for want of what it creates).
 */
export const refoldHazard = (event: RecordedEvent, after: AfterTheEvent): string | undefined => {
  for (const [table, rows] of Object.entries(after.loaded) as [VersionedTable, { last_sequence: string | number }[]][]) {
    const newer = rows.find((row) => Number(row.last_sequence) > event.streamSequence);
    if (newer) return `${table} row ${rowKey(table, newer)} changed after it (at #${newer.last_sequence})`;
  }
  if (after.lastOnSubject > event.streamSequence) return `its ${event.aggregate} has later events (up to #${after.lastOnSubject})`;
  if (after.laterRejected > 0) return `${after.laterRejected} later event(s) were rejected, maybe for want of it`;
  return undefined;
};
