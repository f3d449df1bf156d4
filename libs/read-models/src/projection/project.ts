import type { RecordedEvent } from '#contracts';
import { applyEvent, planLoads } from './handlers.js';
import { Fold, type BatchChanges, type LoadedRows } from './fold.js';
import { LoadPlan } from './load-plan.js';

/** The rows a batch needs to see before folding. */
export const loadPlanFor = (events: readonly RecordedEvent[]): LoadPlan => planLoads(events, new LoadPlan());

/** Pure: folds a batch (in stream order) over the rows it touches and returns what to write. */
export const projectBatch = (events: readonly RecordedEvent[], loaded: LoadedRows): BatchChanges => {
  const fold = new Fold(loaded);
  for (const event of events) {
    fold.begin(event);
    applyEvent(event, fold);
  }
  return fold.changes();
};
